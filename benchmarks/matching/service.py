"""Single-ask suggestions through the service, on a real (already migrated) database.

    python benchmarks/matching/service.py [contributors=20000] [asks=200] [--smoke]

Run by ``benchmarks/matching/__main__.py`` with DJANGO_SETTINGS_MODULE, DEBUG and SQLITE_PATH
pointing at a fresh SQLite database.  It fills the database with synthetic contributors (real
ESCO skill ids, valid countries and time zones) and one engineer who posts the asks through
``services.ask_post``, then measures:

1. the cold build of the cached contributor pool (``services.contributor_pool`` on an empty
   cache: every contributor read from the database, the pool built and stored in the cache);
2. the path a page takes for one ask with the pool warm: read the ask, rank five suggestions
   (``services.suggestions``) and write their reasons (``presenters.reasons``), in English;
3. the same path with the pool rebuilt from the database for every ask (the way it was before
   the cache), on the first asks only, as the same-run baseline.

It checks that the cached pool holds every contributor and suggests, with the same reasons,
what a pool built afresh from the database does (``--smoke``: for every ask, not the first
ones only), and exits non-zero otherwise.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import django

django.setup()

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from rabta.accounts.models import ContributorProfile, EngineerProfile, User
from rabta.accounts.reference import ContributionType, Sector
from rabta.braingain import presenters, selectors, services
from rabta.braingain.models import Ask
from rabta.engine.matching import ContributorPool
from rabta.engine.taxonomy import taxonomy

SEED = 2026
SKILL_POOL = 600
BASELINE_ASKS = 20
BATCH = 2000
ASK_KINDS = [
    ContributionType.MENTORING,
    ContributionType.FYP_SUPERVISION,
    ContributionType.RESEARCH_GUIDANCE,
]
LANGUAGES = ["en", "ur", "pa", "ar", "de"]
# country → (city, IANA time zone) choices
PLACES = {
    "GB": [("London", "Europe/London"), ("Manchester", "Europe/London")],
    "US": [
        ("New York", "America/New_York"),
        ("Houston", "America/Chicago"),
        ("San Jose", "America/Los_Angeles"),
    ],
    "CA": [("Toronto", "America/Toronto"), ("Vancouver", "America/Vancouver")],
    "AE": [("Dubai", "Asia/Dubai"), ("Abu Dhabi", "Asia/Dubai")],
    "SA": [("Riyadh", "Asia/Riyadh"), ("Jeddah", "Asia/Riyadh")],
    "DE": [("Berlin", "Europe/Berlin"), ("Munich", "Europe/Berlin")],
    "AU": [("Sydney", "Australia/Sydney"), ("Perth", "Australia/Perth")],
    "QA": [("Doha", "Asia/Qatar")],
}


def ms(seconds: float) -> float:
    return seconds * 1000


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def skill_pool(rng: random.Random) -> list[str]:
    ids = sorted(skill.id for skill in taxonomy().skills)
    return rng.sample(ids, SKILL_POOL)


def contributors_create(rng: random.Random, n: int, skills: list[str]) -> None:
    sectors = list(Sector.values)
    kinds = list(ContributionType.values)
    countries = list(PLACES)
    for start in range(0, n, BATCH):
        numbers = range(start, min(start + BATCH, n))
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"bench-c{i}@bench.test",
                        display_name=f"Bench Contributor {i}",
                        password=UNUSABLE_PASSWORD_PREFIX,
                    )
                    for i in numbers
                ]
            )
            profiles = []
            for user in users:
                country = rng.choice(countries)
                city, zone = rng.choice(PLACES[country])
                available = rng.random() < 0.9
                profiles.append(
                    ContributorProfile(
                        user=user,
                        country=country,
                        city=city,
                        time_zone=zone,
                        sectors=rng.sample(sectors, k=rng.randint(1, 3)),
                        contribution_types=rng.sample(kinds, k=rng.randint(1, 3)),
                        capacity=rng.randint(1, 5),
                        hours_per_month=rng.choice([2, 4, 6, 8, 10]),
                        availability="available" if available else "paused",
                        languages=rng.sample(LANGUAGES, k=rng.randint(1, 3)),
                        skills=rng.sample(skills, k=rng.randint(3, 15)),
                    )
                )
            ContributorProfile.objects.bulk_create(profiles)


def seeker_create() -> User:
    user = User.objects.create_user(
        "bench-seeker@bench.test",
        None,
        display_name="Bench Seeker",
        email_verified_at=timezone.now(),
    )
    EngineerProfile.objects.create(
        user=user,
        pec_number="CIVIL/12345",
        discipline="CIVIL",
        degree="BE",
        university="NED University of Engineering and Technology",
        graduation_year=2020,
        province="Sindh",
        district="sd-hyderabad",
        employment_status="employed_full_time",
        languages=["en", "ur"],
    )
    return user


def asks_post(rng: random.Random, seeker: User, count: int, skills: list[str]) -> list[int]:
    deadline = timezone.localdate() + timedelta(days=30)
    sectors = list(Sector.values)
    ids = []
    for i in range(count):
        ask = services.ask_post(
            user=seeker,
            data={
                "kind": rng.choice(ASK_KINDS),
                "title": f"Benchmark ask {i}",
                "goal": "Guidance on a final-year project and the first steps of a career.",
                "sector": rng.choice(sectors),
                "skills": rng.sample(skills, k=rng.randint(2, 8)),
                "duration_weeks": 12,
                "hours_per_month": rng.choice([2, 4, 8]),
                "language": rng.choice(["en", "ur"]),
                "mode": "online",
                "city": "",
                "deadline": deadline,
                "budget_usd": None,
            },
        )
        ids.append(ask.pk)
    return ids


def page_path(ask_id: int) -> list[list[str]]:
    """What the ask's page does for its suggestions, with the pool from the cache."""
    ask = Ask.objects.get(pk=ask_id)
    found = services.suggestions(ask=ask, limit=5)
    return [presenters.reasons(s.parts, s.matched_skills, len(ask.skills)) for s in found]


def page_path_rebuilt(ask_id: int) -> list[list[str]]:
    """The same, building the pool from the database for this one ask."""
    ask = Ask.objects.get(pk=ask_id)
    pool = ContributorPool(selectors.contributor_facts())
    found = pool.rank(selectors.ask_facts(ask), limit=5, exclude=selectors.asked_contributors(ask))
    return [presenters.reasons(s.parts, s.matched_skills, len(ask.skills)) for s in found]


def timed(
    path: Callable[[int], list[list[str]]], ask_ids: list[int]
) -> tuple[list[float], int, list[list[list[str]]]]:
    times, shown, answers = [], 0, []
    with translation.override("en"):
        for ask_id in ask_ids:
            started = time.perf_counter()
            lines = path(ask_id)
            times.append(time.perf_counter() - started)
            shown += len(lines)
            answers.append(lines)
    return times, shown, answers


def main() -> None:
    smoke = "--smoke" in sys.argv
    argv = [a for a in sys.argv[1:] if a != "--smoke"]
    contributors = int(argv[0]) if argv else 20_000
    count = int(argv[1]) if len(argv) > 1 else 200
    rng = random.Random(SEED)
    skills = skill_pool(rng)

    started = time.perf_counter()
    contributors_create(rng, contributors, skills)
    seeker = seeker_create()
    ask_ids = asks_post(rng, seeker, count, skills)
    setup = time.perf_counter() - started
    print(
        f"service over {contributors:,} contributors and {count} asks (SQLite, "
        f"{SKILL_POOL} ESCO skills in use); database filled in {setup:.1f} s"
    )

    cache.clear()
    started = time.perf_counter()
    pool = services.contributor_pool()
    cold = time.perf_counter() - started
    assert len(pool.ids) == contributors, len(pool.ids)
    print(f"  pool build, cold cache:          {ms(cold):7.0f} ms")

    warm, shown, answers = timed(page_path, ask_ids)
    baseline_ids = ask_ids if smoke else ask_ids[:BASELINE_ASKS]
    rebuilt, _, rebuilt_answers = timed(page_path_rebuilt, baseline_ids)
    if answers[: len(baseline_ids)] != rebuilt_answers:
        raise SystemExit("FAILED: the cached pool suggests other than a pool built afresh")
    if not shown:
        raise SystemExit("FAILED: no suggestion for any ask")
    for name, values, asks in (
        ("suggestions + reasons, warm", warm, len(ask_ids)),
        ("rebuilding the pool per ask", rebuilt, len(baseline_ids)),
    ):
        print(
            f"  {name:32s} p50 {ms(percentile(values, 50)):7.1f} ms   "
            f"p95 {ms(percentile(values, 95)):7.1f} ms   ({asks} asks)"
        )
    ratio = percentile(rebuilt, 95) / percentile(warm, 95)
    print(f"  {shown:,} suggestions shown; the cached pool's p95 is {ratio:,.0f}x faster")
    print(f"  checked: {len(baseline_ids)} asks suggest the same from the cached and a fresh pool")
    print(
        f"service path over {contributors:,} contributors (SQLite): pool build cold "
        f"{ms(cold):.0f} ms; suggestions+reasons p50 {ms(percentile(warm, 50)):.1f} ms "
        f"p95 {ms(percentile(warm, 95)):.1f} ms; rebuilding the pool per ask p95 "
        f"{ms(percentile(rebuilt, 95)):.0f} ms ({ratio:,.0f}x slower)"
    )


if __name__ == "__main__":
    main()
