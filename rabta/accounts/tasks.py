"""Mail to people who have no inbox yet (an address to verify, an invitation), sent through the
core's one mail helper, and the download of a person's data.  Tasks take primary keys and are
safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from rabta.accounts.models import InstitutionInvitation, User
from rabta.accounts.tokens import email_verification_token_make, invitation_token_make
from rabta.core.emails import email_send
from rabta.core.jobs import Outcome, Progress, job_task


@shared_task(ignore_result=True)
def email_verification_send(user_id: int) -> None:
    """Send the verification link.  Idempotent: nothing is sent once the address is verified."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified:
        return
    token = email_verification_token_make(user_id=user.pk, email=user.email)
    link = settings.SITE_URL + reverse("accounts:verify_email", kwargs={"token": token})
    with translation.override(user.preferred_language):
        context = {"user": user, "link": link, "days": settings.EMAIL_VERIFICATION_TIMEOUT // 86400}
        subject = render_to_string("accounts/email/verify_subject.txt", context).strip()
        body = render_to_string("accounts/email/verify_body.txt", context)
    email_send(to=user.email, subject=subject, body=body)


@shared_task(ignore_result=True)
def institution_invitation_send(invitation_id: int) -> None:
    """Email the invitation link.  Idempotent for practical purposes: an accepted invitation
    is never sent again."""
    invitation = (
        InstitutionInvitation.objects.select_related("institution", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    token = invitation_token_make(invitation_id=invitation.pk)
    link = settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": token})
    context = {"invitation": invitation, "link": link}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_body.txt", context)
    email_send(to=invitation.email, subject=subject, body=body)


@job_task(_("Download my data"), file_once=True, origin="accounts:privacy")
def user_data_export_task(user_id: int, *, progress: Progress) -> Outcome:
    """Everything Rabta holds about the person, as one zip archive only they may download,
    once (the link then answers "gone": a new download is a new export)."""
    from django.utils import timezone

    from rabta.accounts.services import user_data_archive

    user = User.objects.get(pk=user_id)
    content = user_data_archive(user=user, progress=progress)
    name = f"rabta-my-data-{timezone.localdate(timezone=user.zone):%Y-%m-%d}.zip"
    return Outcome(str(_("Your data is ready to download.")), file=(name, content))


@job_task(_("Import the PEC register"))
def register_import_task(stored: str, actor_id: int | None) -> Outcome:
    """Check and apply an uploaded register file (tens of thousands of lines); the import
    page shows the counts, or every refused line, from the job's result."""
    from dataclasses import asdict

    from rabta.accounts.services import pec_register_import
    from rabta.core.errors import DomainError
    from rabta.core.jobs import upload_take

    try:
        content = upload_take(stored)
    except FileNotFoundError:
        gone = str(_("The uploaded file is no longer there: upload it again."))
        return Outcome(gone, details={"refused": gone, "errors": []})
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        result = pec_register_import(actor=actor, content=content)
    except DomainError as refused:
        errors = [str(line) for line in refused.fields.get("file", [])]
        return Outcome(refused.message, details={"refused": refused.message, "errors": errors})
    return Outcome(
        f"{result.row_count} rows, {result.verified} verified, {result.rejected} rejected",
        details=asdict(result),
    )
