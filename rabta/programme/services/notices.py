"""What the programme tells an applicant, through core's one notification service."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from rabta.core.models import Notification
from rabta.core.notifications import kind_get, notice_key, notify
from rabta.programme.models import Application

CHUNK = 500


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


def applications_tell(
    applications: QuerySet[Application], notice: str, key_for: Callable[[Application], str]
) -> int:
    """Tell each of ``applications`` once (a scheduled reminder that runs every hour): those
    already told are skipped with one query per chunk, the others told a chunk per
    transaction.  Returns how many were told now."""
    kind = f"programme.{notice}"
    told = 0
    chosen = applications.select_related("user", "cohort").order_by("pk")
    for start in range(0, chosen.count(), CHUNK):
        chunk = list(chosen[start : start + CHUNK])
        keys = {a.pk: notice_key(kind, a, key_for(a)) for a in chunk}
        done = set(
            Notification.objects.filter(kind=kind, key__in=keys.values()).values_list(
                "user_id", "key"
            )
        )
        with transaction.atomic():
            for application in chunk:
                if (application.user_id, keys[application.pk]) not in done:
                    application_tell(application, notice, key_for(application))
                    told += 1
    return told
