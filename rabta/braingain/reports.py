"""The programme report for staff: open asks and their age, response times, match rates,
completed mentorships and hours given, by sector and by contributors' country.

Staff run the programme and see counts as they are; the council's published dashboards (the
insights module) apply small-cell suppression."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import timedelta
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


def programme_report(*, days: int = 365) -> dict[str, Any]:
    now = timezone.now()
    since = now - timedelta(days=days)
    sectors = dict(Sector.choices)
    kinds = dict(ContributionType.choices)

    open_asks = list(
        Ask.objects.filter(status=AskStatus.OPEN)
        .annotate(asked=Count("requests"))
        .values("pk", "title", "kind", "sector", "created_at", "asked")
    )
    ages: Counter[str] = Counter()
    for ask in open_asks:
        ages[_bucket((now - ask["created_at"]).days)] += 1
    oldest: list[dict[str, Any]] = [
        {
            **ask,
            "age_days": (now - ask["created_at"]).days,
            "kind_label": kinds.get(ask["kind"], ask["kind"]),
        }
        for ask in sorted(open_asks, key=lambda a: a["created_at"])[:10]
    ]

    answered = MatchRequest.objects.filter(
        created_at__gte=since, responded_at__isnull=False
    ).values_list("created_at", "responded_at")
    hours = [(r - c).total_seconds() / 3600 for c, r in answered if r is not None]
    outcomes = Counter(
        MatchRequest.objects.filter(created_at__gte=since).values_list("status", flat=True)
    )
    decided = sum(outcomes[s] for s in ("accepted", "declined", "expired"))

    posted = Ask.objects.filter(created_at__gte=since)
    by_sector: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for sector in posted.values_list("sector", flat=True):
        by_sector[sector]["posted"] += 1
    matched_asks = set(
        Mentorship.objects.filter(ask__created_at__gte=since).values_list("ask_id", flat=True)
    ) | set(Engagement.objects.filter(ask__created_at__gte=since).values_list("ask_id", flat=True))
    for sector, ask_id in posted.values_list("sector", "pk"):
        if ask_id in matched_asks:
            by_sector[sector]["matched"] += 1
    completed = Mentorship.objects.filter(status=MentorshipStatus.COMPLETED, finished_at__gte=since)
    for sector, n in (
        completed.values("ask__sector").annotate(n=Count("pk")).values_list("ask__sector", "n")
    ):
        by_sector[sector]["completed"] += n
    engagements_done = Engagement.objects.filter(
        status=EngagementStatus.COMPLETED, finished_at__gte=since
    )
    for sector, n in (
        engagements_done.values("ask__sector")
        .annotate(n=Count("pk"))
        .values_list("ask__sector", "n")
    ):
        by_sector[sector]["engagements"] += n

    countries = dict(ContributorProfile.objects.values_list("user_id", "country"))
    minutes_by_mentor: Counter[int] = Counter()
    for mentor_id, sector, minutes in MentorshipSession.objects.filter(
        status=SessionStatus.HELD, starts_at__gte=since
    ).values_list("mentorship__mentor_id", "mentorship__ask__sector", "duration_minutes"):
        minutes_by_mentor[mentor_id] += minutes
        by_sector[sector]["minutes"] += minutes
    for mentor_id, sector, minutes in TimeEntry.objects.filter(
        worked_on__gte=since.date()
    ).values_list("mentorship__mentor_id", "mentorship__ask__sector", "minutes"):
        minutes_by_mentor[mentor_id] += minutes
        by_sector[sector]["minutes"] += minutes
    by_country: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for mentor_id, minutes in minutes_by_mentor.items():
        row = by_country[str(countries.get(mentor_id, ""))]
        row["minutes"] += minutes
        row["contributors"] += 1
    for mentor_id in completed.values_list("mentor_id", flat=True):
        by_country[str(countries.get(mentor_id, ""))]["completed"] += 1

    sector_rows = [
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
    country_rows = [
        {
            "country": code,
            "contributors": row["contributors"],
            "completed": row["completed"],
            "hours": round(row["minutes"] / 60, 1),
        }
        for code, row in sorted(by_country.items(), key=lambda kv: -kv[1]["minutes"])
    ]
    total_posted = sum(r["posted"] for r in sector_rows)
    total_matched = sum(r["matched"] for r in sector_rows)
    return {
        "days": days,
        "open_total": len(open_asks),
        "open_ages": {name: ages[name] for _limit, name in AGE_BUCKETS},
        "oldest": oldest,
        "median_response_hours": round(statistics.median(hours), 1) if hours else None,
        "requests": dict(outcomes),
        "expired_share": round(100 * outcomes["expired"] / decided) if decided else None,
        "posted": total_posted,
        "matched": total_matched,
        "match_rate": round(100 * total_matched / total_posted) if total_posted else None,
        "completed_mentorships": completed.count(),
        "hours": round(sum(minutes_by_mentor.values()) / 60, 1),
        "by_sector": sector_rows,
        "by_country": country_rows,
        "paid_milestones": Engagement.objects.filter(milestones__payment_status="paid").aggregate(
            total=Sum("milestones__amount_usd")
        )["total"],
    }
