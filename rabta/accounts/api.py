from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from rabta.accounts import selectors, services
from rabta.accounts.models import ContributorProfile, EngineerProfile, User
from rabta.accounts.reference import Province, districts, districts_in
from rabta.accounts.schemas import (
    ContributorProfileIn,
    ContributorProfileOut,
    DistrictOut,
    EngineerProfileIn,
    EngineerProfileOut,
    InstitutionIn,
    InstitutionOut,
    MeOut,
    VerificationDecisionIn,
    VerificationQueueItemOut,
)
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.http import api_user
from rabta.core.schemas import ErrorOut
from rabta.core.services import audit_record

router = Router(tags=["accounts"])

READ_ERRORS: dict[int | frozenset[int], Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int | frozenset[int], Any] = {**READ_ERRORS, 409: ErrorOut, 422: ErrorOut}


@router.get("/me", response={200: MeOut, **READ_ERRORS}, operation_id="me_get")
def me_get(request: HttpRequest) -> dict[str, Any]:
    user: User = api_user(request)
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "email_verified": user.email_verified,
        "roles": sorted(user.role_names()),
    }


@router.get(
    "/me/engineer-profile",
    response={200: EngineerProfileOut, **READ_ERRORS},
    operation_id="me_engineer_profile_get",
)
def me_engineer_profile_get(request: HttpRequest) -> EngineerProfile:
    profile = selectors.engineer_profile_of(user=api_user(request))
    if profile is None:
        raise DomainError(ErrorCode.PROFILE_MISSING, "You have no engineer profile yet.")
    return profile


@router.put(
    "/me/engineer-profile",
    response={200: EngineerProfileOut, **WRITE_ERRORS},
    operation_id="me_engineer_profile_put",
)
def me_engineer_profile_put(request: HttpRequest, payload: EngineerProfileIn) -> EngineerProfile:
    return services.engineer_profile_save(user=api_user(request), data=payload.model_dump())


@router.get(
    "/me/contributor-profile",
    response={200: ContributorProfileOut, **READ_ERRORS},
    operation_id="me_contributor_profile_get",
)
def me_contributor_profile_get(request: HttpRequest) -> ContributorProfile:
    profile = selectors.contributor_profile_of(user=api_user(request))
    if profile is None:
        raise DomainError(ErrorCode.PROFILE_MISSING, "You have no contributor profile yet.")
    return profile


@router.put(
    "/me/contributor-profile",
    response={200: ContributorProfileOut, **WRITE_ERRORS},
    operation_id="me_contributor_profile_put",
)
def me_contributor_profile_put(
    request: HttpRequest, payload: ContributorProfileIn
) -> ContributorProfile:
    return services.contributor_profile_save(user=api_user(request), data=payload.model_dump())


@router.get(
    "/me/export", response={200: dict[str, Any], **READ_ERRORS}, operation_id="me_data_export"
)
def me_data_export(request: HttpRequest) -> dict[str, Any]:
    return services.user_data_export(user=api_user(request))


@router.get(
    "/engineer-profiles/{profile_id}",
    response={200: EngineerProfileOut, **READ_ERRORS},
    operation_id="engineer_profile_get",
)
def engineer_profile_get(request: HttpRequest, profile_id: int) -> EngineerProfile:
    return selectors.engineer_profile_get_for_user(user=api_user(request), profile_id=profile_id)


@router.get(
    "/contributor-profiles/{profile_id}",
    response={200: ContributorProfileOut, **READ_ERRORS},
    operation_id="contributor_profile_get",
)
def contributor_profile_get(request: HttpRequest, profile_id: int) -> ContributorProfile:
    return selectors.contributor_profile_get_for_user(user=api_user(request), profile_id=profile_id)


@router.get(
    "/institutions",
    response={200: list[InstitutionOut], **READ_ERRORS},
    operation_id="institution_list",
)
def institution_list(request: HttpRequest) -> Any:
    return list(selectors.institution_list_for_user(user=api_user(request)))


@router.post(
    "/institutions",
    response={201: InstitutionOut, **WRITE_ERRORS},
    operation_id="institution_create",
)
def institution_create(request: HttpRequest, payload: InstitutionIn) -> Any:
    return Status(
        201, services.institution_create(user=api_user(request), data=payload.model_dump())
    )


@router.get(
    "/institutions/{institution_id}",
    response={200: InstitutionOut, **READ_ERRORS},
    operation_id="institution_get",
)
def institution_get(request: HttpRequest, institution_id: int) -> Any:
    return selectors.institution_get_for_user(user=api_user(request), institution_id=institution_id)


@router.put(
    "/institutions/{institution_id}",
    response={200: InstitutionOut, **WRITE_ERRORS},
    operation_id="institution_update",
)
def institution_update(request: HttpRequest, institution_id: int, payload: InstitutionIn) -> Any:
    user: User = api_user(request)
    institution = selectors.institution_get_for_admin(user=user, institution_id=institution_id)
    return services.institution_update(
        user=user, institution=institution, data=payload.model_dump()
    )


@router.get(
    "/staff/verification-queue",
    response={200: list[VerificationQueueItemOut], **READ_ERRORS},
    operation_id="verification_queue_list",
)
def verification_queue_list(request: HttpRequest, state: str = "pending") -> Any:
    user: User = api_user(request)
    if not user.has_perm("accounts.verify_pec_number") or not user.is_verified():  # type: ignore[attr-defined]
        raise DomainError(ErrorCode.FORBIDDEN, "Programme staff only, with two factors.")
    rows = list(selectors.verification_queue(user=user, state=state)[:200])
    audit_record(
        actor=user,
        action="personal_data.listed",
        list="verification_queue",
        state=state,
        via="api",
        rows=len(rows),
    )
    return rows


@router.post(
    "/staff/engineer-profiles/{profile_id}/verification",
    response={200: EngineerProfileOut, **WRITE_ERRORS},
    operation_id="pec_verification_decide",
)
def pec_verification_decide(
    request: HttpRequest, profile_id: int, payload: VerificationDecisionIn
) -> EngineerProfile:
    user: User = api_user(request)
    if not user.is_verified():  # type: ignore[attr-defined]
        raise DomainError(ErrorCode.NOT_FOUND, "Not found.")
    return services.pec_verification_decide(
        actor=user,
        profile_id=profile_id,
        decision=payload.decision,
        reason=payload.reason,
        reviewed_pec_number=payload.pec_number,
    )


@router.get(
    "/reference/districts", response=list[DistrictOut], auth=None, operation_id="district_list"
)
def district_list(request: HttpRequest, province: str = "") -> Any:
    if province and province not in Province.values:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            "Unknown province.",
            fields={"province": ["Unknown province."]},
        )
    chosen = districts_in(province) if province else districts()
    return [district.__dict__ for district in chosen]
