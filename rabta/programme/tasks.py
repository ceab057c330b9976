from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

NOTICES = ("offered", "expired")


@shared_task(ignore_result=True)
def application_notify(application_id: int, notice: str) -> None:
    """Tell an applicant about an offer or an expiry.  Sent once per (application, notice)."""
    from rabta.programme.models import Application, Notice

    if notice not in NOTICES:
        raise ValueError(notice)
    application = (
        Application.objects.select_related("user", "cohort").filter(pk=application_id).first()
    )
    if application is None:
        return
    _sent, created = Notice.objects.get_or_create(
        application=application,
        kind=notice,
        key=str(application.offer_expires_at or ""),
    )
    if not created:
        return
    user = application.user
    link = settings.SITE_URL + reverse("programme:application", args=[application.cohort.slug])
    with translation.override(user.preferred_language):
        context = {"application": application, "user": user, "link": link}
        subject = render_to_string(f"programme/email/{notice}_subject.txt", context).strip()
        body = render_to_string(f"programme/email/{notice}_body.txt", context)
    send_mail(subject, body, None, [user.email])


@shared_task(ignore_result=True)
def offers_expire_task() -> int:
    from rabta.programme.services import offers_expire

    return offers_expire()
