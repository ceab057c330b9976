"""The programme report for staff: open asks and their age, response times, match rates,
completed mentorships and hours given, by sector and by contributors' country.

Staff run the programme and see counts as they are; the council's published dashboards (the
insights module) apply small-cell suppression."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from rabta.accounts.models import ContributorProfile
from rabta.accounts.reference import ContributionType, Sector
from rabta.braingain.models import (
    Ask,
    AskStatus,
    Engagement,
    EngagementStatus,
    MatchRequest,
    Mentorship,
    MentorshipSession,
    MentorshipStatus,
    SessionStatus,
    TimeEntry,
)

AGE_BUCKETS = ((7, "under_7"), (30, "7_to_30"), (None, "over_30"))


def _bucket(days: int) -> str:
    for limit, name in AGE_BUCKETS:
        if limit is None or days < limit:
            return name
    return AGE_BUCKETS[-1][1]


Row = dict[str, Any]


def _open_asks(now: datetime) -> tuple[Sequence[Mapping[str, Any]], Counter[str], list[Row]]:
    """Open asks, how many fall in each age bucket, and the ten oldest."""
    kinds = dict(ContributionType.choices)
    open_asks = list(
        Ask.objects.filter(status=AskStatus.OPEN)
        .annotate(asked=Count("requests"))
        .values("pk", "title", "kind", "sector", "created_at", "asked")
    )
    ages: Counter[str] = Counter(_bucket((now - ask["created_at"]).days) for ask in open_asks)
    oldest: list[Row] = [
        {
            **ask,
            "age_days": (now - ask["created_at"]).days,
            "kind_label": kinds.get(ask["kind"], ask["kind"]),
        }
        for ask in sorted(open_asks, key=lambda a: a["created_at"])[:10]
    ]
    return open_asks, ages, oldest


def _responses(since: datetime) -> tuple[list[float], Counter[str]]:
    """Hours each answered request took, and how requests ended."""
    answered = MatchRequest.objects.filter(
        created_at__gte=since, responded_at__isnull=False
    ).values_list("created_at", "responded_at")
    hours = [(r - c).total_seconds() / 3600 for c, r in answered if r is not None]
    outcomes = Counter(
        MatchRequest.objects.filter(created_at__gte=since).values_list("status", flat=True)
    )
    return hours, outcomes


def _sector_counts(since: datetime, completed: Any) -> dict[str, dict[str, Any]]:
    """Per sector: asks posted and matched, mentorships completed, engagements completed."""
    by_sector: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    posted = Ask.objects.filter(created_at__gte=since)
    matched_asks = set(
        Mentorship.objects.filter(ask__created_at__gte=since).values_list("ask_id", flat=True)
    ) | set(Engagement.objects.filter(ask__created_at__gte=since).values_list("ask_id", flat=True))
    for sector, ask_id in posted.values_list("sector", "pk"):
        by_sector[sector]["posted"] += 1
        if ask_id in matched_asks:
            by_sector[sector]["matched"] += 1
    engagements_done = Engagement.objects.filter(
        status=EngagementStatus.COMPLETED, finished_at__gte=since
    )
    for name, done in (("completed", completed), ("engagements", engagements_done)):
        per_sector = done.values("ask__sector").annotate(n=Count("pk"))
        for sector, n in per_sector.values_list("ask__sector", "n"):
            by_sector[sector][name] += n
    return by_sector


def _minutes_given(since: datetime, by_sector: dict[str, dict[str, Any]]) -> Counter[int]:
    """Minutes each mentor gave (sessions held and hours logged), added to their sectors."""
    minutes_by_mentor: Counter[int] = Counter()
    held = MentorshipSession.objects.filter(
        status=SessionStatus.HELD, starts_at__gte=since
    ).values_list("mentorship__mentor_id", "mentorship__ask__sector", "duration_minutes")
    logged = TimeEntry.objects.filter(worked_on__gte=since.date()).values_list(
        "mentorship__mentor_id", "mentorship__ask__sector", "minutes"
    )
    for rows in (held, logged):
        for mentor_id, sector, minutes in rows:
            minutes_by_mentor[mentor_id] += minutes
            by_sector[sector]["minutes"] += minutes
    return minutes_by_mentor


def _country_counts(minutes_by_mentor: Counter[int], completed: Any) -> dict[str, dict[str, int]]:
    countries = dict(ContributorProfile.objects.values_list("user_id", "country"))
    by_country: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for mentor_id, minutes in minutes_by_mentor.items():
        row = by_country[str(countries.get(mentor_id, ""))]
        row["minutes"] += minutes
        row["contributors"] += 1
    for mentor_id in completed.values_list("mentor_id", flat=True):
        by_country[str(countries.get(mentor_id, ""))]["completed"] += 1
    return by_country


def _sector_rows(by_sector: dict[str, dict[str, Any]]) -> list[Row]:
    sectors = dict(Sector.choices)
    return [
        {
            "sector": sectors.get(key, key),
            "posted": row["posted"],
            "matched": row["matched"],
            "match_rate": round(100 * row["matched"] / row["posted"]) if row["posted"] else None,
            "completed": row["completed"],
            "engagements": row["engagements"],
            "hours": round(row["minutes"] / 60, 1),
        }
        for key, row in sorted(by_sector.items(), key=lambda kv: -kv[1]["posted"])
    ]


def _country_rows(by_country: dict[str, dict[str, int]]) -> list[Row]:
    return [
        {
            "country": code,
            "contributors": row["contributors"],
            "completed": row["completed"],
            "hours": round(row["minutes"] / 60, 1),
        }
        for code, row in sorted(by_country.items(), key=lambda kv: -kv[1]["minutes"])
    ]


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def programme_report(*, days: int = 365) -> dict[str, Any]:
    now = timezone.now()
    since = now - timedelta(days=days)
    open_asks, ages, oldest = _open_asks(now)
    hours, outcomes = _responses(since)
    decided = sum(outcomes[s] for s in ("accepted", "declined", "expired"))
    completed = Mentorship.objects.filter(status=MentorshipStatus.COMPLETED, finished_at__gte=since)
    by_sector = _sector_counts(since, completed)
    minutes_by_mentor = _minutes_given(since, by_sector)
    sector_rows = _sector_rows(by_sector)
    total_posted = sum(r["posted"] for r in sector_rows)
    total_matched = sum(r["matched"] for r in sector_rows)
    return {
        "days": days,
        "open_total": len(open_asks),
        "open_ages": {name: ages[name] for _limit, name in AGE_BUCKETS},
        "oldest": oldest,
        "median_response_hours": round(statistics.median(hours), 1) if hours else None,
        "requests": dict(outcomes),
        "expired_share": _percent(outcomes["expired"], decided),
        "posted": total_posted,
        "matched": total_matched,
        "match_rate": _percent(total_matched, total_posted),
        "completed_mentorships": completed.count(),
        "hours": round(sum(minutes_by_mentor.values()) / 60, 1),
        "by_sector": sector_rows,
        "by_country": _country_rows(_country_counts(minutes_by_mentor, completed)),
        "paid_milestones": Engagement.objects.filter(milestones__payment_status="paid").aggregate(
            total=Sum("milestones__amount_usd")
        )["total"],
    }
