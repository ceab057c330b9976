"""The outcome log: what happened after the programme, and the reminders to report it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.accounts.services import engineer_dimensions
from rabta.core.errors import invalid
from rabta.core.notifications import notify
from rabta.core.services import event_record
from rabta.portfolio import selectors
from rabta.portfolio.models import OutcomeEntry, OutcomeKind, OutcomeReminder
from rabta.portfolio.services.fields import model_clean, pathway_valid
from rabta.profiling import selectors as profiling_selectors
from rabta.profiling import services as profiling

REMINDER_DAYS = (30, 60, 90)
REMINDER_WINDOW_DAYS = 30  # a mark missed for this long is not sent late
WITH_AMOUNT = (OutcomeKind.CONTRACT, OutcomeKind.EARNING)


def _outcome_checked(kind: str, happened_on: dt.date, pathway: str, amount: Decimal | None) -> None:
    if happened_on > timezone.localdate():
        raise invalid("happened_on", _("The date cannot be in the future."))
    if kind in WITH_AMOUNT and amount is None:
        raise invalid("amount_usd", _("Give the amount in US dollars."))
    if kind == OutcomeKind.CONTRACT and not pathway:
        raise invalid("pathway", _("Choose the pathway this contract is in."))


def _first_engagement(user: User, entry: OutcomeEntry) -> None:
    """The first contract logged is also the profiling engine's first engagement."""
    if entry.kind != OutcomeKind.CONTRACT:
        return
    if profiling_selectors.first_engagement_reported(user=user):
        return
    profiling.outcome_record(
        user=user,
        pathway=entry.pathway,
        platform=entry.platform or _("direct client"),
        amount_usd=entry.amount_usd or Decimal(0),
        won_on=entry.happened_on,
    )


def outcome_log(
    *,
    user: User,
    kind: str,
    happened_on: dt.date,
    platform: str = "",
    pathway: str = "",
    count: int = 1,
    amount_usd: Decimal | None = None,
) -> OutcomeEntry:
    """Record what happened.  The first contract also becomes the profiling engine's first
    engagement, which recalibrates the pathway priors."""
    _outcome_checked(kind, happened_on, pathway, amount_usd)
    entry = OutcomeEntry(
        owner=user,
        kind=kind,
        happened_on=happened_on,
        platform=platform.strip(),
        pathway=pathway_valid(pathway),
        count=count if kind == OutcomeKind.PROPOSALS else 1,
        amount_usd=amount_usd if kind in WITH_AMOUNT else None,
    )
    model_clean(entry)
    with transaction.atomic():
        entry.save()
        event_record(
            kind=f"outcome.{kind}",
            actor_id=user.pk,
            subject=entry,
            value=float(entry.amount_usd) if entry.amount_usd is not None else None,
            pathway=entry.pathway,
            **engineer_dimensions(selectors.engineer_profile(user=user)),
        )
        _first_engagement(user, entry)
    return entry


def outcome_delete(*, user: User, entry_id: int) -> None:
    """Undo a mistaken line.  The first engagement it may have created stays: it is the
    person's own report, corrected on the results page."""
    selectors.outcome_entry_get_for_owner(user=user, entry_id=entry_id).delete()


def _reminder_day(ends_on: dt.date, today: dt.date) -> int | None:
    """The latest mark due for a cohort that ended on ``ends_on``, if one is in its window."""
    elapsed = (today - ends_on).days
    due = [d for d in REMINDER_DAYS if d <= elapsed < d + REMINDER_WINDOW_DAYS]
    return due[-1] if due else None


def outcome_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each participant whose cohort ended 30, 60 or 90 days ago to report outcomes.
    Each mark is sent once (a unique row), and a mark missed for a month is skipped, so a job
    that did not run for a while does not send a burst of stale reminders."""
    today = today or timezone.localdate()
    sent = 0
    oldest_end = today - dt.timedelta(days=max(REMINDER_DAYS) + REMINDER_WINDOW_DAYS)
    for user_id, ends_on in selectors.cohort_ends_confirmed(since=oldest_end, before=today):
        day = _reminder_day(ends_on, today)
        if day is None:
            continue
        with transaction.atomic():
            reminder, created = OutcomeReminder.objects.get_or_create(owner_id=user_id, day=day)
            if not created:
                continue
            notify(
                reminder.owner,
                "outcome.reminder",
                reminder,
                {"n": day},
                url=reverse("portfolio:outcomes"),
            )
        sent += 1
    return sent
