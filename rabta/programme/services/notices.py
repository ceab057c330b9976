"""What the programme tells an applicant, through core's one notification service."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from rabta.core.notifications import kind_get, notify
from rabta.programme.models import Application


def application_tell(application: Application, notice: str, key: str = "") -> None:
    """Tell an applicant about an offer, an expiry, a session tomorrow or a certificate, in the
    caller's transaction.  Told once per (application, notice, key)."""
    kind = kind_get(f"programme.{notice}")  # an undeclared notice is refused before any work
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
