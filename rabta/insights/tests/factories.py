"""Random domain events with the dimensions the dashboards cut by."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from rabta.core.models import Event
from rabta.insights.stats import STATS

PROVINCES = ("Punjab", "Sindh", "KP", "Balochistan", "ICT")
DISTRICTS = ("a", "b", "c")
KINDS = sorted({kind for stat in STATS for kind in stat.kinds})


def random_events(n: int, *, seed: int, people: int = 60, days: int = 20) -> list[Event]:
    rng = random.Random(seed)
    now = timezone.now()
    events = []
    for _i in range(n):
        province = rng.choice(PROVINCES)
        events.append(
            Event(
                kind=rng.choice(KINDS),
                at=now - timedelta(days=rng.randrange(days), minutes=rng.randrange(600)),
                actor_id=rng.choice((None, *range(1, people))),
                subject_id=rng.choice((None, *range(1, people))),
                cohort=rng.choice(("", "c-2026-1", "c-2026-2")),
                province=province,
                district=rng.choice(("", *DISTRICTS)),
                gender=rng.choice(("woman", "man", "", "self_described")),
                discipline=rng.choice(("CIVIL", "ELECTRICAL")),
                pathway=rng.choice(("bim", "cad", "")),
                country=rng.choice(("GB", "US", "AE", "")),
                sector=rng.choice(("water", "energy")),
                career=rng.choice(("early", "experienced")),
                item=rng.choice(("s1", "s2", "s3")),
                value=rng.choice((None, 5.0, 120.5, 40.0)),
            )
        )
    created = Event.objects.bulk_create(events)
    # auto_now_add overrides ``at`` on insert; put the spread of days back
    for event, original in zip(created, events, strict=True):
        Event.objects.filter(pk=event.pk).update(at=original.at)
    return created
