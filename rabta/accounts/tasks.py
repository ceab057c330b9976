from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from rabta.accounts.models import User
from rabta.accounts.tokens import email_verification_token_make


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
    send_mail(subject, body, None, [user.email])


@shared_task(ignore_result=True)
def institution_invitation_send(invitation_id: int) -> None:
    """Email the invitation link.  Idempotent for practical purposes: an accepted invitation
    is never sent again."""
    from django.core import signing

    from rabta.accounts.models import InstitutionInvitation
    from rabta.accounts.services import INVITATION_SALT

    invitation = (
        InstitutionInvitation.objects.select_related("institution", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    token = signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT)
    link = settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": token})
    context = {"invitation": invitation, "link": link}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
