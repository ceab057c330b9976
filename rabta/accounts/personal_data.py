"""The accounts app's part of a person's data: the account, the profiles, institutions, tokens
and second factors (see ``rabta.core.personal_data``)."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from rabta.accounts.models import (
    ContributorProfile,
    EngineerProfile,
    InstitutionInvitation,
    InstitutionMembership,
    PecRegisterImport,
    User,
)
from rabta.accounts.services.contributors import CONTRIBUTOR_EDITABLE
from rabta.accounts.services.engineers import ENGINEER_EDITABLE
from rabta.core.personal_data import (
    anonymise,
    delete,
    exclusion_register,
    record,
    section_register,
)


def accounts_export(user: User) -> dict[str, Any]:
    export: dict[str, Any] = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "digest_hour": user.digest_hour,
            "email_verified_at": user.email_verified_at,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "roles": sorted(user.role_names()),
        },
        "engineer_profile": None,
        "contributor_profile": None,
        "institutions": [
            {"name": m.institution.name, "role": m.role, "joined_at": m.joined_at}
            for m in InstitutionMembership.objects.filter(user=user).select_related("institution")
        ],
        "invitations_sent": [
            {
                "institution": i.institution.name,
                "email": i.email,
                "created_at": i.created_at,
                "accepted_at": i.accepted_at,
            }
            for i in InstitutionInvitation.objects.filter(invited_by=user).select_related(
                "institution"
            )
        ],
        "invitations_received": [
            {"institution": i.institution.name, "created_at": i.created_at}
            for i in InstitutionInvitation.objects.filter(email__iexact=user.email).select_related(
                "institution"
            )
        ],
        "api_tokens": [
            record(t, only=("name", "prefix", "created_at", "last_used_at", "revoked_at"))
            for t in user.api_tokens.order_by("created_at")
        ],
        "second_factors": [
            {"kind": "authenticator app", "name": d.name, "confirmed": d.confirmed}
            for d in TOTPDevice.objects.filter(user=user)
        ]
        + [
            {"kind": "backup codes", "name": d.name, "confirmed": d.confirmed}
            for d in StaticDevice.objects.filter(user=user)
        ],
        "register_imports_run": [
            record(i, only=("imported_at", "row_count", "created_count", "updated_count"))
            for i in PecRegisterImport.objects.filter(imported_by=user)
        ],
    }
    engineer = EngineerProfile.objects.filter(user=user).first()
    if engineer is not None:
        export["engineer_profile"] = record(
            engineer,
            only=(
                *ENGINEER_EDITABLE,
                "verification_state",
                "rejection_reason",
                "verified_at",
                "created_at",
                "updated_at",
            ),
        )
    contributor = ContributorProfile.objects.filter(user=user).first()
    if contributor is not None:
        export["contributor_profile"] = record(
            contributor, only=(*CONTRIBUTOR_EDITABLE, "skills", "created_at", "updated_at")
        )
    return export


section_register(
    app="accounts",
    title="Your account, your engineer and contributor profiles, the institutions you "
    "represent, invitations, API tokens (names only) and second factors (no secrets).",
    export=accounts_export,
    position=10,
    rules={
        "accounts.EngineerProfile.user": delete(),
        "accounts.ContributorProfile.user": delete(),
        "accounts.InstitutionMembership.user": delete(),
        "accounts.ApiToken.user": delete(),
        "accounts.InstitutionInvitation.invited_by": anonymise(
            "An invitation belongs to the institution and the person invited; it no longer "
            "says who sent it."
        ),
        "accounts.PecRegisterImport.imported_by": anonymise(
            "A register import changed the council's register; the audit log keeps that it "
            "happened, no longer by whom."
        ),
    },
)
exclusion_register(
    "accounts.Institution",
    "Its members link is InstitutionMembership, which is exported and deleted; the "
    "institution itself is the organisation's, not the person's.",
)
