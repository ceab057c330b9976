"""The matching engine's view of the database: contributors and asks as the engine's typed
facts, and what a round needs besides (who was asked already, staff pins and forbidden pairs).
Reads only; the services hand these to ``rabta.engine.matching``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from rabta.accounts.models import ContributorProfile
from rabta.accounts.reference import Availability
from rabta.braingain.models import (
    Ask,
    AskMode,
    MatchingRound,
    MatchRequest,
    RequestStatus,
    RoundConstraint,
)
from rabta.engine.matching import AskFacts, ContributorFacts, Pair

PROFILE_COLUMNS = (
    "user_id",
    "contribution_types",
    "skills",
    "sectors",
    "languages",
    "time_zone",
    "hours_per_month",
    "capacity",
    "active_count",
    "availability",
    "paused_until",
    "country",
)


def utc_offset_minutes(zone_name: str, at: datetime | None = None) -> int:
    try:
        zone = ZoneInfo(zone_name)
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    offset = (at or timezone.now()).astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def _pending_by_contributor(user_ids: list[int] | None) -> dict[int, int]:
    waiting = MatchRequest.objects.filter(status=RequestStatus.PENDING)
    if user_ids is not None:
        waiting = waiting.filter(contributor_id__in=user_ids)
    pending: dict[int, int] = {}
    for contributor_id in waiting.values_list("contributor_id", flat=True):
        pending[contributor_id] = pending.get(contributor_id, 0) + 1
    return pending


def _facts(
    values: tuple[Any, ...], *, pending: dict[int, int], today: date, offset: int
) -> ContributorFacts:
    (
        user_id,
        kinds,
        skills,
        sectors,
        languages,
        _zone,
        hours,
        capacity,
        active,
        availability,
        paused_until,
        country,
    ) = values
    paused = availability == Availability.PAUSED and (paused_until is None or paused_until >= today)
    return ContributorFacts(
        id=user_id,
        kinds=frozenset(kinds or ()),
        skills=frozenset(skills or ()),
        sectors=frozenset(sectors or ()),
        languages=frozenset(languages or ()),
        utc_offset_minutes=offset,
        hours_per_month=hours,
        capacity=capacity,
        load=active + pending.get(user_id, 0),
        available=not paused,
        in_pakistan=country == "PK",
    )


def contributor_facts(
    *, at: datetime | None = None, user_ids: list[int] | None = None
) -> list[ContributorFacts]:
    """Everyone who could be asked, with the places they have left once their pending requests
    are counted (a request they might accept holds a place in suggestions and rounds)."""
    now = at or timezone.now()
    today = timezone.localdate(now)
    pending = _pending_by_contributor(user_ids)
    profiles = ContributorProfile.objects.filter(user__is_active=True)
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=user_ids)
    offsets: dict[str, int] = {}
    facts = []
    for values in profiles.values_list(*PROFILE_COLUMNS).iterator(chunk_size=5000):
        zone = values[5]
        if zone not in offsets:
            offsets[zone] = utc_offset_minutes(zone, now)
        facts.append(_facts(values, pending=pending, today=today, offset=offsets[zone]))
    return facts


def ask_facts(ask: Ask) -> AskFacts:
    return AskFacts(
        id=ask.pk,
        kind=ask.kind,
        skills=frozenset(ask.skills or ()),
        sector=ask.sector,
        language=ask.language,
        hours_per_month=ask.hours_per_month,
        in_person=ask.mode == AskMode.IN_PERSON,
    )


def asked_contributors(ask: Ask) -> frozenset[int]:
    return frozenset(ask.requests.values_list("contributor_id", flat=True))


def contributors_asked(*, ask_ids: list[int]) -> dict[int, frozenset[int]]:
    """Per ask, everyone it was ever sent to (a round never proposes them again)."""
    asked: dict[int, set[int]] = {}
    for ask_id, contributor_id in MatchRequest.objects.filter(ask_id__in=ask_ids).values_list(
        "ask_id", "contributor_id"
    ):
        asked.setdefault(ask_id, set()).add(contributor_id)
    return {ask_id: frozenset(ids) for ask_id, ids in asked.items()}


def round_constraint_pairs(
    matching_round: MatchingRound,
) -> tuple[frozenset[Pair], frozenset[Pair]]:
    """The round's pinned and forbidden (ask id, contributor id) pairs."""
    constraints = list(matching_round.constraints.all())
    pins = frozenset(
        (c.ask_id, c.contributor_id) for c in constraints if c.kind == RoundConstraint.Kind.PIN
    )
    forbids = frozenset(
        (c.ask_id, c.contributor_id) for c in constraints if c.kind == RoundConstraint.Kind.FORBID
    )
    return pins, forbids
