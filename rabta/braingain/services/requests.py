"""Requests: an ask sent to one contributor, who accepts or declines within ``RESPONSE_DAYS``.

Protection of contributors' time is built in here, not in the pages: a seeker has at most
``MAX_PENDING`` requests waiting at a time, and an ask one; a reminder goes a day before the
deadline, and a request left unanswered (or declined) moves on to the next suggestion by itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.braingain import selectors, states
from rabta.braingain.facts import ask_facts, asked_contributors, contributor_facts
from rabta.braingain.models import (
    Ask,
    AskStatus,
    MatchRequest,
    Mentorship,
    RequestSource,
    RequestStatus,
)
from rabta.braingain.services.capacity import place_claim
from rabta.braingain.services.conversations import conversation_for_match
from rabta.core.errors import DomainError, ErrorCode, NotFound, invalid
from rabta.core.notifications import notify
from rabta.core.services import audit_record, event_record
from rabta.engine import matching
from rabta.engine.matching import ContributorPool

MAX_PENDING = 3
RESPONSE_DAYS = 5
REMIND_BEFORE = timedelta(hours=24)


def _lock_user(user_id: int) -> None:
    # serialises one seeker's request sending, so the pending limit holds under double clicks
    User.objects.select_for_update().filter(pk=user_id).exists()


def request_send(
    *,
    user: User,
    ask_id: int,
    contributor_id: int,
    message: str = "",
    source: str = RequestSource.SUGGESTION,
) -> MatchRequest:
    if len(message) > 1000:
        raise invalid("message", _("Keep the message under 1,000 characters."))
    with transaction.atomic():
        ask, part = selectors.ask_get_for_user(user=user, ask_id=ask_id)
        if part != "seeker":
            raise NotFound()
        _lock_user(ask.owner_id)
        ask = Ask.objects.select_for_update().get(pk=ask.pk)
        return request_create(
            ask=ask,
            contributor_id=contributor_id,
            message=message,
            source=source,
            actor=user,
            enforce_limit=True,
        )


def _sendable_check(ask: Ask, *, enforce_limit: bool) -> None:
    """Refuse a request the ask cannot send now (the caller holds the ask's lock)."""
    if ask.status != AskStatus.OPEN:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This ask is no longer open."))
    if ask.is_project:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Consultancy projects receive proposals; they do not send requests."),
        )
    if ask.requests.filter(status=RequestStatus.PENDING).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            _("This ask is already waiting for an answer; the next request goes when it ends."),
        )
    if enforce_limit and selectors.pending_count(user=ask.owner) >= MAX_PENDING:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("You have %(n)d requests waiting for an answer; wait for one before asking again.")
            % {"n": MAX_PENDING},
        )


def request_create(
    *,
    ask: Ask,
    contributor_id: int,
    message: str,
    source: str,
    actor: User | None,
    enforce_limit: bool,
) -> MatchRequest:
    """Send ``ask`` to one contributor, scored on their current facts.  Used by seekers, by
    the move to the next suggestion and by published rounds (which skip the pending limit)."""
    _sendable_check(ask, enforce_limit=enforce_limit)
    if ask.requests.filter(contributor_id=contributor_id).exists():
        raise DomainError(ErrorCode.CONFLICT, _("You have already asked this person."))
    found = contributor_facts(user_ids=[contributor_id])
    contributor = found[0] if found else None
    wanted = ask_facts(ask)
    if contributor is None or not matching.eligible(wanted, contributor):
        raise DomainError(
            ErrorCode.NOT_ELIGIBLE,
            _("This person cannot take this request now (paused, full, or not offering it)."),
        )
    scored = matching.score_one(wanted, contributor)
    request = MatchRequest(
        ask=ask,
        contributor_id=contributor_id,
        source=source,
        score=scored.score,
        parts=scored.parts,
        matched_skills=list(scored.matched_skills),
        message=message.strip(),
        respond_by=timezone.now() + timedelta(days=RESPONSE_DAYS),
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise DomainError(ErrorCode.CONFLICT, _("This request was already sent.")) from None
    audit_record(actor=actor, action="request.send", target=request, source=source)
    notify(
        User.objects.get(pk=contributor_id),
        "braingain.request",
        request,
        {"title": ask.title},
        url=reverse("braingain:request", args=[request.pk]),
    )
    return request


def request_respond(*, user: User, request_id: int, accept: bool, reason: str = "") -> MatchRequest:
    if len(reason) > 300:
        raise invalid("reason", _("Keep the reason under 300 characters."))
    with transaction.atomic():
        request, part = selectors.request_get_for_user(user=user, request_id=request_id)
        request = MatchRequest.objects.select_for_update().get(pk=request.pk)
        if part != "contributor":
            raise DomainError(ErrorCode.FORBIDDEN, _("Only the person asked can answer."))
        ask = Ask.objects.select_for_update().get(pk=request.ask_id)
        if accept:
            _accept(user, request, ask)
        else:
            _decline(user, request, ask, reason)
    return request


def _decline(user: User, request: MatchRequest, ask: Ask, reason: str) -> None:
    request.responded_at = timezone.now()
    request.decline_reason = reason.strip()
    states.transition(
        states.REQUEST,
        request,
        "decline",
        part="contributor",
        actor=user,
        fields=["responded_at", "decline_reason"],
    )
    notify(
        ask.owner,
        "braingain.declined",
        request,
        {"title": ask.title},
        url=reverse("braingain:ask", args=[ask.pk]),
    )
    request_advance(ask=ask, actor=None)


def _accept(user: User, request: MatchRequest, ask: Ask) -> None:
    if request.status == RequestStatus.PENDING and request.respond_by < timezone.now():
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("The time to answer has passed."))
    request.responded_at = timezone.now()
    states.transition(
        states.REQUEST, request, "accept", part="contributor", actor=user, fields=["responded_at"]
    )
    place_claim(user.pk)
    ask.matched_at = timezone.now()
    states.transition(
        states.ASK, ask, "match", part="contributor", actor=user, fields=["matched_at"]
    )
    mentorship = Mentorship.objects.create(
        ask=ask,
        request=request,
        mentor=user,
        mentee=ask.owner,
        kind=ask.kind,
        goals=ask.goal,
    )
    conversation_for_match(mentorship=mentorship)
    event_record(
        kind="braingain.matched",
        actor_id=user.pk,
        subject=mentorship,
        sector=ask.sector,
        country=selectors.contributor_country(user),
        # the contributor's response time, in hours
        value=round((request.responded_at - request.created_at).total_seconds() / 3600, 2),
    )
    notify(
        ask.owner,
        "braingain.accepted",
        mentorship,
        {"title": ask.title},
        url=reverse("braingain:mentorship", args=[mentorship.pk]),
    )


def request_withdraw(*, user: User, request_id: int) -> MatchRequest:
    with transaction.atomic():
        request, part = selectors.request_get_for_user(user=user, request_id=request_id)
        request = MatchRequest.objects.select_for_update().get(pk=request.pk)
        states.transition(states.REQUEST, request, "withdraw", part=part, actor=user)
    return request


def request_advance(*, ask: Ask, actor: User | None) -> MatchRequest | None:
    """Send the ask to the best contributor not yet asked, if it is still open and waiting for
    nobody.  Tells the seeker when there is nobody left to ask."""
    if ask.status != AskStatus.OPEN or ask.is_project:
        return None
    if ask.requests.filter(status=RequestStatus.PENDING).exists():
        return None
    if selectors.pending_count(user=ask.owner) >= MAX_PENDING:
        return None
    # fresh facts rather than the cached pool: this runs right after a change
    pool = ContributorPool(contributor_facts())
    for suggestion in pool.rank(ask_facts(ask), limit=3, exclude=asked_contributors(ask)):
        try:
            return request_create(
                ask=ask,
                contributor_id=suggestion.contributor_id,
                message="",
                source=RequestSource.NEXT,
                actor=actor,
                enforce_limit=True,
            )
        except DomainError:
            continue
    notify(
        ask.owner,
        "braingain.no_one_left",
        ask,
        {"title": ask.title},
        url=reverse("braingain:ask", args=[ask.pk]),
        key=str(ask.requests.count()),
    )
    return None


def _expire_due(now: datetime) -> int:
    expired = 0
    due = list(
        MatchRequest.objects.filter(status=RequestStatus.PENDING, respond_by__lt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for request_id in due:
        with transaction.atomic():
            request = (
                MatchRequest.objects.select_for_update()
                .filter(pk=request_id, status=RequestStatus.PENDING)
                .first()
            )
            if request is None:
                continue
            states.transition(states.REQUEST, request, "expire", part="system", actor=None)
            ask = Ask.objects.select_for_update().get(pk=request.ask_id)
            request_advance(ask=ask, actor=None)
            expired += 1
    return expired


def _remind_soon_due(now: datetime) -> int:
    reminded = 0
    for request in MatchRequest.objects.filter(
        status=RequestStatus.PENDING,
        reminded_at__isnull=True,
        respond_by__gte=now,
        respond_by__lte=now + REMIND_BEFORE,
    ).select_related("ask", "contributor"):
        with transaction.atomic():
            claimed = MatchRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed != 1:
                continue
            notify(
                request.contributor,
                "braingain.reminder",
                request,
                {"title": request.ask.title},
                url=reverse("braingain:request", args=[request.pk]),
            )
            reminded += 1
    return reminded


def requests_expire(*, now: datetime | None = None) -> tuple[int, int]:
    """Expire requests past their deadline (moving each ask on) and remind contributors a day
    before.  Idempotent: each request is expired once and reminded once."""
    now = now or timezone.now()
    return _expire_due(now), _remind_soon_due(now)
