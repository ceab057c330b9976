"""Offers and the waitlist: confirming or declining a seat, offers that expire, and freed seats
offered to the people waiting, in order.  A seat is released and re-offered in the same
transaction, so a crash can never leave a seat free while people wait."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.locking import capacity_release, capacity_try_claim
from rabta.core.tasks import task_enqueue
from rabta.programme import states
from rabta.programme.events import application_dimensions
from rabta.programme.models import AllocationPolicy, Application, ApplicationState, Cohort
from rabta.programme.tasks import application_notify

EXPIRY_BATCH = 200


def application_lock_for_user(user: User, application_id: int) -> Application:
    """The caller's own application, locked for a change (absent and not-yours look alike)."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .filter(pk=application_id, user=user)
        .first()
    )
    if application is None:
        raise NotFound()
    return application


def _move(application: Application, action: str, *, part: str, actor: User | None) -> None:
    states.transition(
        states.APPLICATION,
        application,
        action,
        part=part,
        actor=actor,
        dimensions=application_dimensions(application),
    )


def offer_respond(
    *, user: User, application_id: int, accept: bool, now: datetime | None = None
) -> Application:
    now = now or timezone.now()
    with transaction.atomic():
        application = application_lock_for_user(user, application_id)
        if application.state == ApplicationState.CONFIRMED and accept:
            return application  # a repeated confirmation changes nothing
        if application.state != ApplicationState.OFFERED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("There is no open offer on this application.")
            )
        expired = bool(application.offer_expires_at and application.offer_expires_at <= now)
        if expired:
            # The seat goes to the waitlist now, committed, before the refusal is raised.
            _expire(application)
            waitlist_promote(cohort_id=application.cohort_id, now=now)
        elif accept:
            _move(application, "seated", part="applicant", actor=user)
        else:
            _move(application, "declined", part="applicant", actor=user)
            capacity_release(Cohort, application.cohort_id, used="seats_taken")
            waitlist_promote(cohort_id=application.cohort_id, now=now)
    if expired:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This offer has expired."))
    return application


def _expire(application: Application) -> None:
    _move(application, "expired", part="system", actor=None)
    capacity_release(Cohort, application.cohort_id, used="seats_taken")
    task_enqueue(application_notify, application.pk, "expired")


def offers_expire(*, now: datetime | None = None) -> int:
    """Expire offers past their deadline and offer the freed seats to the waitlist, in the same
    transaction: a crash between the two can never leave a seat free while people wait.
    Idempotent."""
    now = now or timezone.now()
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                Application.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("cohort")
                .filter(state=ApplicationState.OFFERED, offer_expires_at__lte=now)
                .order_by("pk")[:EXPIRY_BATCH]
            )
            for application in batch:
                _expire(application)
            for cohort_id in sorted({application.cohort_id for application in batch}):
                waitlist_promote(cohort_id=cohort_id, now=now)
            expired += len(batch)
        if len(batch) < EXPIRY_BATCH:
            break
    return expired


def waitlist_promote(*, cohort_id: int, now: datetime | None = None) -> int:
    """Offer freed seats to the waitlist, in order, each with a claim window."""
    now = now or timezone.now()
    cohort = Cohort.objects.get(pk=cohort_id)
    # The waitlist's order: lottery rank after a fair allocation, time of application otherwise
    # (each served by its own index).
    order = (
        ("lottery_rank", "pk") if cohort.policy == AllocationPolicy.FAIR else ("submitted_at", "pk")
    )
    promoted = 0
    with transaction.atomic():
        while True:
            nxt = (
                Application.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("cohort")
                .filter(cohort_id=cohort_id, state=ApplicationState.WAITLISTED)
                .order_by(*order)
                .first()
            )
            if nxt is None:
                break
            if not capacity_try_claim(Cohort, cohort_id, used="seats_taken", cap="seats"):
                break
            nxt.offer_expires_at = now + timedelta(hours=cohort.claim_window_hours)
            nxt.placement_reason = _("A seat was freed and offered to you from the waitlist.")
            states.transition(
                states.APPLICATION,
                nxt,
                "offered",
                part="system",
                actor=None,
                fields=("offer_expires_at", "placement_reason"),
                dimensions=application_dimensions(nxt),
            )
            task_enqueue(application_notify, nxt.pk, "offered")
            promoted += 1
    return promoted
