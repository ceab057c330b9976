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
