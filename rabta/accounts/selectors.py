"""Permission-scoped reads.  Each entity has one fetch that returns the object or raises
``NotFound`` — for a stranger, "not yours" and "does not exist" look the same."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from rabta.accounts.models import (
    ApiToken,
    ContributorProfile,
    EngineerProfile,
    Institution,
    InstitutionInvitation,
    InstitutionMembership,
    User,
    VerificationState,
)
from rabta.core.errors import NotFound
from rabta.core.models import Job
from rabta.core.selectors import job_latest
from rabta.core.services import audit_record

P = TypeVar("P", bound=Model)


def _staff_read(*, user: User, obj: object, perm: str) -> bool:
    """True when ``user`` may read another person's record through ``perm``; the read is
    audited because it is personal data."""
    if user.is_authenticated and user.has_perm(perm) and user.is_verified():  # type: ignore[attr-defined]
        audit_record(actor=user, action="personal_data.viewed", target=obj)  # type: ignore[arg-type]
        return True
    return False


def _owned_or_staff_read(model: type[P], *, user: User, pk: int, perm: str) -> P:
    obj = model._default_manager.select_related("user").filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    if obj.user_id == user.pk or _staff_read(user=user, obj=obj, perm=perm):  # type: ignore[attr-defined]
        return obj
    raise NotFound()


def user_email_stored(address: str) -> str | None:
    """The address an account is stored under, for an address typed in any case (the
    database's case-insensitive match can accept spellings that ``lower()`` keeps apart)."""
    return User.objects.filter(email__iexact=address).values_list("email", flat=True).first()


def two_factor_enrolled(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def engineer_profile_of(*, user: User) -> EngineerProfile | None:
    """The person's own engineer profile, if they have one."""
    return EngineerProfile.objects.filter(user=user).first()


def contributor_profile_of(*, user: User) -> ContributorProfile | None:
    """The person's own contributor profile, if they have one."""
    return ContributorProfile.objects.filter(user=user).first()


def engineer_profile_get_for_user(*, user: User, profile_id: int) -> EngineerProfile:
    return _owned_or_staff_read(
        EngineerProfile, user=user, pk=profile_id, perm="accounts.view_engineerprofile"
    )


def contributor_profile_get_for_user(*, user: User, profile_id: int) -> ContributorProfile:
    return _owned_or_staff_read(
        ContributorProfile, user=user, pk=profile_id, perm="accounts.view_contributorprofile"
    )


def verification_queue(
    *, user: User, state: str = VerificationState.PENDING
) -> QuerySet[EngineerProfile]:
    if not user.has_perm("accounts.verify_pec_number"):
        return EngineerProfile.objects.none()
    if state not in VerificationState.values:
        state = VerificationState.PENDING
    return (
        EngineerProfile.objects.filter(verification_state=state)
        .select_related("user")
        .order_by("updated_at", "pk")
    )


def verification_pending_count(*, user: User) -> int | None:
    """How many numbers wait for review, for those who review them (None for everyone else)."""
    if not user.has_perm("accounts.verify_pec_number"):
        return None
    return verification_queue(user=user).count()


def institution_list_for_user(*, user: User) -> QuerySet[Institution]:
    return Institution.objects.filter(institutionmembership__user=user).order_by("name")


def institution_get_for_user(*, user: User, institution_id: int) -> Institution:
    institution = Institution.objects.filter(pk=institution_id).first()
    if institution is None:
        raise NotFound()
    if InstitutionMembership.objects.filter(institution=institution, user=user).exists():
        return institution
    if _staff_read(user=user, obj=institution, perm="accounts.view_institution"):
        return institution
    raise NotFound()


def institution_get_for_admin(*, user: User, institution_id: int) -> Institution:
    """An institution the user administers (may edit it and add members)."""
    institution = Institution.objects.filter(
        pk=institution_id,
        institutionmembership__user=user,
        institutionmembership__role=InstitutionMembership.MemberRole.ADMIN,
    ).first()
    if institution is None:
        raise NotFound()
    return institution


def institution_members(*, institution: Institution) -> QuerySet[InstitutionMembership]:
    return InstitutionMembership.objects.filter(institution=institution).select_related("user")


def institution_invitations_open(*, institution: Institution) -> QuerySet[InstitutionInvitation]:
    """Invitations not yet accepted; ``institution`` must come from
    ``institution_get_for_admin``."""
    return institution.invitations.filter(accepted_at__isnull=True)


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def api_token_get_for_user(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound()
    return token


def data_export_key(user: User) -> str:
    """One download of a person's data in preparation at a time."""
    return f"data-export:{user.pk}"


def data_export_job(*, user: User) -> Job | None:
    return job_latest(key=data_export_key(user))


REGISTER_JOB_KEY = "pec-register"


def register_import_job() -> Job | None:
    """The latest register import (what the import page shows the progress and outcome of)."""
    return job_latest(key=REGISTER_JOB_KEY)
