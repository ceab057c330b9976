from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from rabta.core.notifications import kind_get, notify


@shared_task(ignore_result=True)
def application_notify(application_id: int, notice: str, key: str = "") -> None:
    """Tell an applicant about an offer, an expiry, a session tomorrow or a certificate.
    Sent once per (application, notice, key)."""
    from rabta.programme.models import Application

    kind = kind_get(f"programme.{notice}")  # an undeclared notice is refused before any work
    application = (
        Application.objects.select_related("user", "cohort").filter(pk=application_id).first()
    )
    if application is None:
        return
    user = application.user
    url = reverse("programme:application", args=[application.cohort.slug])
    notify(
        user,
        kind.key,
        application,
        {"application": application, "user": user, "link": settings.SITE_URL + url},
        url=url,
        key=key or str(application.offer_expires_at or ""),
    )


@shared_task(ignore_result=True)
def offers_expire_task() -> int:
    from rabta.programme.services import offers_expire

    return offers_expire()


@shared_task(ignore_result=True)
def certificates_issue_task(cohort_id: int) -> int:
    from rabta.programme.models import Certificate
    from rabta.programme.services import certificates_issue

    issued = certificates_issue(cohort_id=cohort_id)
    for application_id in Certificate.objects.filter(application__cohort_id=cohort_id).values_list(
        "application_id", flat=True
    ):
        application_notify.delay(application_id, "certified", "certificate")
    return issued


@shared_task(ignore_result=True)
def session_reminders_send() -> int:
    """Email each confirmed participant about tomorrow's sessions, once per session."""
    from datetime import timedelta

    from django.utils import timezone

    from rabta.programme.models import Application, LiveSession

    now = timezone.now()
    sent = 0
    for session in LiveSession.objects.filter(
        starts_at__gt=now, starts_at__lte=now + timedelta(hours=24)
    ):
        for application_id in Application.objects.filter(
            cohort_id=session.cohort_id, state="confirmed"
        ).values_list("pk", flat=True):
            application_notify.delay(application_id, "reminder", f"session-{session.pk}")
            sent += 1
    return sent


@shared_task(ignore_result=True)
def offer_deadline_reminders_send() -> int:
    """Remind people whose seat offer expires within 24 hours, once per offer."""
    from datetime import timedelta

    from django.utils import timezone

    from rabta.programme.models import Application

    now = timezone.now()
    due = Application.objects.filter(
        state="offered", offer_expires_at__gt=now, offer_expires_at__lte=now + timedelta(hours=24)
    )
    count = 0
    for application_id, expires in due.values_list("pk", "offer_expires_at"):
        # the filter above keeps only offers with a deadline
        assert expires is not None
        application_notify.delay(application_id, "deadline", f"deadline-{expires.isoformat()}")
        count += 1
    return count
