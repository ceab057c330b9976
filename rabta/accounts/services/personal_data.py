"""A person's own data: the download of everything held about them, and deletion."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import (
    ContributorProfile,
    EngineerProfile,
    InstitutionMembership,
    User,
)
from rabta.accounts.selectors import data_export_key
from rabta.accounts.services.contributors import CONTRIBUTOR_EDITABLE
from rabta.accounts.services.engineers import ENGINEER_EDITABLE
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.jobs import job_start
from rabta.core.models import Event, Job
from rabta.core.services import audit_record


def user_delete(*, user: User, password: str) -> None:
    """Delete the account and every profile; events keep their counts but lose the link."""
    if not user.check_password(password):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            _("The password is not correct; your account was not deleted."),
            fields={"password": [_("The password is not correct.")]},
        )
    with transaction.atomic():
        user_id = user.pk
        Event.objects.filter(actor_id=user_id).update(actor_id=None)
        Event.objects.filter(subject_type="accounts.user", subject_id=user_id).update(
            subject_id=None
        )
        audit_record(actor=None, action="account.deleted", target=user)
        user.delete()


def _plain(instance: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _json(getattr(instance, name)) for name in names}


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything Rabta holds about the person, for them to download."""
    export: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "digest_hour": user.digest_hour,
            "notification_choices": dict(
                user.notice_preferences.order_by("kind").values_list("kind", "delivery")
            ),
            "email_verified_at": _json(user.email_verified_at),
            "date_joined": _json(user.date_joined),
            "roles": sorted(user.role_names()),
        },
        "engineer_profile": None,
        "contributor_profile": None,
        "institutions": [
            {"name": m.institution.name, "role": m.role, "joined_at": _json(m.joined_at)}
            for m in InstitutionMembership.objects.filter(user=user).select_related("institution")
        ],
        "api_tokens": [
            {"name": t.name, "created_at": _json(t.created_at), "revoked_at": _json(t.revoked_at)}
            for t in user.api_tokens.all()
        ],
    }
    engineer = EngineerProfile.objects.filter(user=user).first()
    if engineer is not None:
        export["engineer_profile"] = _plain(
            engineer, (*ENGINEER_EDITABLE, "verification_state", "rejection_reason", "verified_at")
        )
    contributor = ContributorProfile.objects.filter(user=user).first()
    if contributor is not None:
        export["contributor_profile"] = _plain(contributor, CONTRIBUTOR_EDITABLE)
    audit_record(actor=user, action="personal_data.exported", target=user)
    return export


def _json(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def user_data_export_start(*, user: User) -> Job:
    """Gather the person's data in the background; a second click joins the running job."""
    from rabta.accounts.tasks import user_data_export_task

    return job_start(user_data_export_task, user.pk, user=user, key=data_export_key(user))
