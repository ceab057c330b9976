"""Digests: one email a day (and on Mondays the week's quieter notices too) that gathers the
notices a person chose to read in a digest, grouped by kind, sent at the local hour they chose.

``digests_send`` runs every hour and writes a digest for each person whose local hour is their
digest hour, or past it when that day's digest has not gone yet (a run missed while beat was
down, or an hour a clock change skipped, is caught up).  The digest's key names the person's
local date, so a second run that day (or a repeated hour when the clocks go back) sends nothing
more; the notices it carries point at it, so none is sent twice and none is left behind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rabta.core.batches import in_batches
from rabta.core.emails import Message, email_queue, footer_context, reader_zone, reading_as
from rabta.core.kinds import kind_get
from rabta.core.models import Delivery, Email, Notification
from rabta.core.preferences import DIGEST, DIGESTED

DEFAULT_DIGEST_HOUR = 8  # local time, for a person who never chose
LISTED = 100  # notices written out in one digest; the rest are counted


def _waiting() -> QuerySet[Notification]:
    return Notification.objects.filter(
        email__isnull=True, read_at__isnull=True, delivery__in=DIGESTED
    )


def digests_send(*, now: datetime | None = None) -> int:
    """Write the digest of everyone whose digest hour it is now, where they live.  Returns how
    many digests were written."""
    now = now or timezone.now()
    people = (
        get_user_model()
        .objects.filter(pk__in=_waiting().values("user_id"), is_active=True)
        .order_by("pk")
    )
    written = 0
    for user in in_batches(people):
        local = now.astimezone(reader_zone(user))
        # at or past the hour, so a run missed (beat down, a clock change skipping the hour) is
        # caught up later that day; the day's key keeps it to one digest a day
        if local.hour < getattr(user, "digest_hour", DEFAULT_DIGEST_HOUR) or _sent_today(
            user, local.date()
        ):
            continue
        cadences = [Delivery.DAILY, Delivery.WEEKLY] if local.weekday() == 0 else [Delivery.DAILY]
        if digest_send(user=user, cadences=cadences, day=local.date()) is not None:
            written += 1
    return written


def _key(day: date) -> str:
    return f"digest:daily:{day.isoformat()}"


def _sent_today(user: Any, day: date) -> bool:
    return Email.objects.filter(user_id=user.pk, key=_key(day)).exists()


def digest_send(*, user: Any, cadences: Sequence[str], day: date) -> Email | None:
    """One digest of ``user``'s waiting notices of ``cadences``, once for ``day``."""
    notices = list(
        _waiting().filter(user_id=user.pk, delivery__in=cadences).order_by("created_at", "pk")
    )
    if not notices:
        return None
    with reading_as(user):
        message = _compose(user, notices)
    with transaction.atomic():
        email = email_queue(user=user, kind=DIGEST, key=_key(day), message=message)
        if email is not None:
            Notification.objects.filter(
                pk__in=[notice.pk for notice in notices], email__isnull=True
            ).update(email=email)
    return email


def _label(kind: str) -> Any:
    try:
        return kind_get(kind).label
    except ValueError:
        return kind


def _compose(user: Any, notices: list[Notification]) -> Message:
    groups: dict[str, list[Notification]] = {}
    for notice in notices[:LISTED]:
        groups.setdefault(notice.kind, []).append(notice)
    count = len(notices)
    context = {
        "groups": [(_label(kind), items) for kind, items in groups.items()],
        "site": settings.SITE_URL,
        "more": count - min(count, LISTED),
        "inbox": settings.SITE_URL + reverse("core:inbox"),
        **footer_context(
            user=user,
            kind=DIGEST,
            reason=_(
                "You get this digest because your notification settings gather these kinds of "
                "notice into a daily or weekly email."
            ),
        ),
    }
    subject = ngettext(
        "Your Rabta digest: %(n)d new notice", "Your Rabta digest: %(n)d new notices", count
    ) % {"n": count}
    context["subject"] = subject
    return Message(
        subject,
        render_to_string("core/email/digest.txt", context),
        render_to_string("core/email/digest.html", context),
    )
