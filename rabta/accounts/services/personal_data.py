"""A person's own data: the download of everything held about them, and deletion.  Both are
driven by what each app registered in ``rabta.core.personal_data``."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.accounts.selectors import data_export_key
from rabta.core.emails import reading_as
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.jobs import Progress, job_start
from rabta.core.models import Job
from rabta.core.personal_data import (
    archive_build,
    json_bytes,
    personal_data_collect,
    personal_data_erase,
    sections,
)
from rabta.core.services import audit_record

# Where a row must keep an author (a forum post, a match that happened), a deleted person is
# replaced by a "deleted account" of their own: it holds no personal data and can never sign
# in.  One per deleted person, so rows that are unique per person (one request per ask, one
# feedback per session) never clash, and two deleted people are not merged into one.
DELETED_ACCOUNT_DOMAIN = "rabta.invalid"
DELETED_ACCOUNT_NAME = "Deleted account"


def deleted_account() -> User:
    placeholder = User(
        email=f"deleted-{secrets.token_hex(8)}@{DELETED_ACCOUNT_DOMAIN}",
        display_name=DELETED_ACCOUNT_NAME,
        is_active=False,
    )
    placeholder.set_unusable_password()
    placeholder.save()
    return placeholder


def is_deleted_account(user: User) -> bool:
    return user.email.endswith("@" + DELETED_ACCOUNT_DOMAIN)


def user_delete(*, user: User, password: str) -> dict[str, int]:
    """Delete the account: each app's rows about the person are deleted or anonymised as its
    registered rules say (events keep their counts but lose the link).  Returns the rows
    touched per rule."""
    if not user.check_password(password):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            _("The password is not correct; your account was not deleted."),
            fields={"password": [_("The password is not correct.")]},
        )
    if is_deleted_account(user):
        raise DomainError(ErrorCode.FORBIDDEN, _("This account cannot be deleted."))
    with transaction.atomic():
        touched = personal_data_erase(user, placeholder=deleted_account())
        audit_record(actor=None, action="account.deleted", target=user)
        user.delete()
    return touched


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything Rabta holds about the person, as JSON by app (what the API answers)."""
    export = {"exported_at": timezone.now(), **personal_data_collect(user)}
    audit_record(actor=user, action="personal_data.exported", target=user)
    # through the archive's encoder: times in the person's zone, amounts and choices as text
    plain: dict[str, Any] = json.loads(json_bytes(export, zone=user.zone))
    return plain


def user_data_archive(*, user: User, progress: Progress | None = None) -> bytes:
    """Everything Rabta holds about the person, as one zip archive: a JSON file per app, their
    files, and a README."""
    if progress is not None:
        progress.total(len(sections()))
    with reading_as(user):  # dates, PDFs and texts as the person reads them
        content = archive_build(user, progress=progress.advance if progress is not None else None)
    audit_record(actor=user, action="personal_data.exported", target=user, size=len(content))
    return content


def user_data_export_start(*, user: User) -> Job:
    """Gather the person's data in the background; a second click joins the running job."""
    from rabta.accounts.tasks import user_data_export_task

    return job_start(user_data_export_task, user.pk, user=user, key=data_export_key(user))
