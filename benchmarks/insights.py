"""Council insights benchmark on PostgreSQL: rollup fill and dashboard tile reads.

    .venv/bin/python benchmarks/insights.py [--people 300000] [--events 1000000] [--smoke]

Creates a throwaway database ``rabta_bench_insights`` on the PostgreSQL in BENCH_PG_URL
(default postgres://postgres@127.0.0.1:5432/postgres, the machine's trust-auth server), with
Redis at REDIS_URL (default redis://127.0.0.1:6379/15) as the cache, and:

1. writes 1,000,000 domain events from 300,000 engineers (and 5,000 contributors) in the
   proportions a programme produces them: everyone registers, most complete a profile, fewer
   are verified, assessed, apply, take a seat ... a few report a first engagement; each event
   carries the dimensions its service writes (cohort, province, district, gender, discipline,
   career, pathway, sector, country, a skill or session, an amount), spread over 400 days;
2. times the full rollup fill (``rollups_rebuild``) and an incremental fill of 10,000 new
   events (``rollups_fill``);
3. times dashboard tiles read from the rollups (p50/p95 over repeated reads): cold (the tile's
   protected family computed from the rollup rows: the first reader after a fill) and warm
   (from the versioned cache);
4. as the same-run baseline, the same figures computed by direct aggregation over the raw
   events table (one query per tile, COUNT DISTINCT where a person counts once).

Every run also checks that what the tiles publish equals the direct aggregation: each shown cell
(the funnel, applicants by province, district and gender, earnings and their amounts by pathway,
the skill-gap heatmap, applications per day) after the full fill and again after the
incremental one; it exits non-zero on any difference.  ``--smoke`` (CI) does this on 3,000
engineers and 30,000 events, with a few timed reads: seconds, and speed is not judged.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "rabta_bench_insights"
PROVINCES = {
    "Punjab": 0.5,
    "Sindh": 0.22,
    "Khyber Pakhtunkhwa": 0.14,
    "Balochistan": 0.05,
    "Islamabad Capital Territory": 0.04,
    "Gilgit-Baltistan": 0.02,
    "Azad Jammu and Kashmir": 0.03,
}
GENDERS = {"man": 0.7, "woman": 0.25, "undisclosed": 0.05}
DISCIPLINES = ["CIVIL", "ELECTRICAL", "MECHANICAL", "ELECTRONICS", "CHEMICAL", "SOFTWARE", "AGRI"]
COHORTS = ["first-cohort-april-2026", "second-cohort-2027", "third-cohort-2027"]
SECTORS = ["power", "water", "construction", "ai_data", "manufacturing", "telecom"]
COUNTRIES = ["GB", "US", "CA", "AE", "SA", "AU", "DE", "QA", "IE", "NZ", "MY", "SE"]
# events per kind, out of 1,000,000
MIX = {
    "user.registered": 300_000,
    "engineer.profile_completed": 250_000,
    "engineer.pec_verified": 170_000,
    "assessed": 45_000,
    "profiling.skill_gap": 90_000,
    "profiling.readiness_gap": 45_000,
    "programme.applied": 30_000,
    "programme.offered": 15_000,
    "programme.seated": 14_000,
    "programme.attended": 20_000,
    "programme.certified": 9_000,
    "portfolio.published": 4_000,
    "outcome.proposals": 3_000,
    "first_engagement": 1_500,
    "outcome.earning": 2_000,
    "contributor.profile_completed": 5_000,
    "braingain.ask_posted": 800,
    "braingain.matched": 500,
    "braingain.mentorship_completed": 200,
}


def _pg_urls() -> tuple[str, str]:
    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    return base, urlunsplit(parts._replace(path=f"/{DB_NAME}"))


def setup() -> None:
    import psycopg

    admin, bench = _pg_urls()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    os.environ["DATABASE_URL"] = bench
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def teardown() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin, _bench = _pg_urls()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def events_write(rng: random.Random, people: int, total: int, *, start_id: int = 0) -> int:
    """COPY ``total`` events (scaled from MIX) into core_event; returns the number written."""
    from django.db import connection

    from rabta.accounts.reference import districts_in
    from rabta.engine.pathways import pathways
    from rabta.engine.taxonomy import taxonomy

    districts = {p: [d.code for d in districts_in(p)] or [""] for p in PROVINCES}
    slugs = [p.slug for p in pathways()]
    skills = [s.id for s in list(taxonomy().skills)[:400]]
    person = [
        (
            _pick(rng, PROVINCES),
            _pick(rng, GENDERS),
            rng.choice(DISCIPLINES),
            "early" if rng.random() < 0.4 else "experienced",
        )
        for _ in range(people)
    ]
    for i, (province, *_rest) in enumerate(person):
        person[i] = (province, rng.choice(districts[province]), *_rest)
    now = datetime.now(UTC)
    scale = total / sum(MIX.values())
    buffer = io.StringIO()
    written = 0
    for kind, share in MIX.items():
        for _n in range(round(share * scale)):
            who = rng.randrange(people)
            province, district, gender, discipline, career = person[who]
            at = now - timedelta(days=rng.random() ** 2 * 400, seconds=rng.randrange(86400))
            cohort = rng.choice(COHORTS) if kind.startswith("programme.") else ""
            pathway = (
                rng.choice(slugs)
                if kind
                in ("assessed", "profiling.skill_gap", "first_engagement", "outcome.earning")
                else ""
            )
            item, value = "", ""
            if kind == "profiling.skill_gap":
                item = rng.choice(skills)
            elif kind == "profiling.readiness_gap":
                item = rng.choice(["payment", "english_spoken", "internet", "power", "hours"])
            elif kind == "programme.attended":
                item = str(rng.randrange(1, 16))
            elif kind == "outcome.earning":
                value = f"{rng.lognormvariate(5.5, 0.9):.2f}"
            elif kind == "first_engagement":
                value = str(rng.randrange(10, 400))
            elif kind == "braingain.matched":
                value = f"{rng.expovariate(1 / 40):.1f}"
            elif kind == "braingain.mentorship_completed":
                value = str(rng.randrange(2, 30))
            sector = rng.choice(SECTORS) if kind.startswith("braingain.") else ""
            country = (
                rng.choice(COUNTRIES) if kind.startswith(("braingain.", "contributor.")) else ""
            )
            contributor = kind.startswith(("braingain.", "contributor."))
            fields = [
                kind,
                at.isoformat(),
                str(who + 1),
                str((people + rng.randrange(5000)) if contributor else who + 1),
                cohort,
                "" if contributor else province,
                "" if contributor else district,
                "" if contributor else gender,
                "" if contributor else discipline,
                pathway,
                country,
                sector,
                "" if contributor else career,
                item,
                value or "\\N",
                "bench",
            ]
            buffer.write("\t".join(fields) + "\n")
            written += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        columns = (
            "kind, at, actor_id, subject_id, cohort, province, district, gender, discipline, "
            "pathway, country, sector, career, item, value, subject_type"
        )
        with cursor.connection.cursor().copy(
            f"COPY core_event ({columns}) FROM STDIN"  # noqa: S608
        ) as copy:
            copy.write(buffer.read())
    connection.commit() if not connection.get_autocommit() else None
    return written


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--incremental", type=int, default=10_000)
    parser.add_argument(
        "--smoke", action="store_true", help="3,000 engineers, 30,000 events: seconds (CI)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.people, args.events, args.repeat, args.incremental = 3_000, 30_000, 4, 2_000
    print(
        f"load average {os.getloadavg()[0]:.2f} · {args.events:,} events, {args.people:,} people"
        + (" · smoke: correctness only, speed not judged" if args.smoke else "")
    )
    setup()
    try:
        failures = run(args)
    finally:
        teardown()
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if failures:
        raise SystemExit(f"FAILED: {failures} published cells differ from direct aggregation")


def direct(
    stat_name: str, dim: str = "", *, cohort: str | None = None, group: str = "value"
) -> dict[tuple[str, ...], tuple[int, float]]:
    """A stat straight from the raw events table, by SQL alone: (key) -> (count, amount).
    A person (or subject) counted once counts at their first event, as the fill counts them.
    ``group``: "value" (the dimension's value), "item" ((value, item)) or "day"."""
    from django.db import connection

    from rabta.insights.stats import BY_NAME

    stat = BY_NAME[stat_name]
    kinds = list(stat.kinds)
    where, params = "e.kind = ANY(%s)", [kinds]
    if stat.once_per:
        key = f"{stat.once_per}_id"
        where += (
            f" AND (e.{key} IS NULL OR e.id IN (SELECT min(id) FROM core_event "  # noqa: S608
            f"WHERE kind = ANY(%s) AND {key} IS NOT NULL GROUP BY {key}))"
        )
        params.append(kinds)
    if cohort is not None:
        where += " AND e.cohort = %s"
        params.append(cohort)
    if dim == "district":
        value = "CASE WHEN e.province <> '' THEN e.province || '/' || e.district ELSE '' END"
    else:
        value = f"coalesce(e.{dim}, '')" if dim else "''"
    keys = {
        "value": value,
        "item": f"{value}, e.item",
        "day": "((e.at AT TIME ZONE 'Asia/Karachi')::date)::text",
    }[group]
    width = 2 if group == "item" else 1
    sql = (
        f"SELECT {keys}, count(*), coalesce(sum(e.value), 0) FROM core_event e "  # noqa: S608
        f"WHERE {where} GROUP BY {', '.join(str(n + 1) for n in range(width))}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(row[:width]): (int(row[width]), float(row[width + 1])) for row in cursor}


def verify(when: str) -> int:
    """Compare every published cell of the checked tiles with ``direct``; print and return the
    number of differences (0 when every shown cell is exact)."""
    from django.core.cache import cache

    from rabta.insights import selectors as sel
    from rabta.insights.stats import FUNNEL

    cache.clear()
    ALL = sel.ALL
    shown = hidden = 0
    wrong: list[str] = []

    def same(what: str, published: object, expected: object, amount: bool = False) -> None:
        nonlocal shown, hidden
        if published is None:
            hidden += 1
            return
        shown += 1
        ok = (
            abs(float(published) - float(expected)) <= 0.011 + 1e-9 * abs(float(expected))  # type: ignore[arg-type]
            if amount
            else published == expected
        )
        if not ok:
            wrong.append(f"{what}: published {published}, direct {expected}")

    cohorts = sorted({c for (c,) in direct("applied", "cohort") if c})
    for stat in FUNNEL:
        for cohort in (ALL, *cohorts):
            total = sum(
                n for n, _t in direct(stat, cohort=None if cohort == ALL else cohort).values()
            )
            same(f"{stat} {cohort}", sel.breakdown(stat=stat, cohort=cohort).count, total)

    def rows(stat: str, dim: str, cohort: str, amounts: bool = False) -> None:
        expected = direct(stat, dim, cohort=None if cohort == ALL else cohort)
        published = sel.breakdown(stat=stat, dim=dim, cohort=cohort)
        values = {value for value, _n, _t in published.rows}
        if values != {value for (value,) in expected}:
            wrong.append(f"{stat} by {dim} ({cohort}): values differ")
        for value, n, t in published.rows:
            count, amount = expected.get((value,), (0, 0.0))
            same(f"{stat} by {dim} {cohort} {value!r}", n, count)
            if amounts:
                same(f"{stat} by {dim} {cohort} {value!r} amount", t, amount, amount=True)

    for cohort in (ALL, *cohorts):
        for dim in ("province", "district", "gender"):
            rows("applied", dim, cohort)
    rows("earnings", "pathway", ALL, amounts=True)

    heat = sel.items(stat="skill_gap", dim="pathway")
    expected_heat = direct("skill_gap", "pathway", group="item")
    by_item: dict[str, int] = {}
    for (_pathway, item), (n, _t) in expected_heat.items():
        by_item[item] = by_item.get(item, 0) + n
    if {k for k in heat if k[0] != ALL} != set(expected_heat):
        wrong.append("skill-gap heatmap: cells differ")
    for key, n in heat.items():
        same(
            f"skill gap {key}",
            n,
            by_item.get(key[1], 0) if key[0] == ALL else expected_heat.get(key, (0, 0.0))[0],
        )

    for cohort in (ALL, cohorts[0]):
        days = direct("applied", cohort=None if cohort == ALL else cohort, group="day")
        published_days = sel.series(stat="applied", cohort=cohort)
        if {d.isoformat() for d, _n in published_days} != {d for (d,) in days}:
            wrong.append(f"applications per day ({cohort}): days differ")
        for day, n in published_days:
            same(f"applied on {day} ({cohort})", n, days.get((day.isoformat(),), (0, 0.0))[0])

    if shown < 50:
        wrong.append(f"only {shown} cells shown: too few to check anything")
    verdict = "all equal" if not wrong else f"{len(wrong)} DIFFER"
    print(
        f"check after the {when}: {shown} published cells against direct aggregation "
        f"({hidden} hidden as small): {verdict}"
    )
    for line in wrong[:20]:
        print(f"  {line}")
    return len(wrong)


def run(args: argparse.Namespace) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count, Q

    from rabta.core.models import Event
    from rabta.insights import dashboards, services
    from rabta.insights import selectors as sel
    from rabta.insights.models import TotalCount
    from rabta.insights.stats import FUNNEL

    rng = random.Random(2026)
    started = time.perf_counter()
    written = events_write(rng, args.people, args.events)
    print(
        f"wrote {written:,} events for {args.people:,} engineers in {time.perf_counter() - started:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_event")

    started = time.perf_counter()
    report = services.rollups_rebuild(lag=0)
    full = time.perf_counter() - started
    print(
        f"full fill: {report.events:,} events in {full:.1f} s "
        f"({report.events / full:,.0f} events/s, {report.chunks} chunks); "
        f"{TotalCount.objects.count():,} total rows"
    )
    started = time.perf_counter()
    failures = verify("full fill")
    print(f"  (checked in {time.perf_counter() - started:.1f} s)")
    events_write(rng, args.people, args.incremental)
    started = time.perf_counter()
    report = services.rollups_fill(lag=0)
    incremental = time.perf_counter() - started
    failures += verify("incremental fill")
    print(f"incremental fill: {report.events:,} new events in {incremental * 1000:.0f} ms")
    started = time.perf_counter()
    report = services.rollups_fill(lag=0)
    print(f"fill with nothing new: {(time.perf_counter() - started) * 1000:.1f} ms")

    cohort = "second-cohort-2027"
    tiles = {
        "funnel, all cohorts (11 stats)": lambda: [sel.breakdown(stat=s) for s in FUNNEL],
        "applicants by district, one cohort": lambda: sel.breakdown(
            stat="applied", dim="district", cohort=cohort
        ),
        "applicants by gender, one cohort": lambda: sel.breakdown(
            stat="applied", dim="gender", cohort=cohort
        ),
        "earnings by pathway": lambda: sel.breakdown(stat="earnings", dim="pathway"),
        "skill-gap heatmap (pathway x skill)": lambda: sel.items(stat="skill_gap", dim="pathway"),
        "applications per day, one cohort": lambda: sel.series(stat="applied", cohort=cohort),
    }
    baselines = {
        "funnel, all cohorts (11 stats)": lambda: Event.objects.aggregate(
            **{
                k.replace(".", "_"): (Count("actor_id", filter=Q(kind=k), distinct=True))
                for k in (
                    "user.registered",
                    "engineer.profile_completed",
                    "engineer.pec_verified",
                    "assessed",
                    "programme.applied",
                    "programme.seated",
                    "programme.attended",
                    "programme.certified",
                    "portfolio.published",
                    "outcome.proposals",
                    "first_engagement",
                )
            }
        ),
        "applicants by district, one cohort": lambda: list(
            Event.objects.filter(kind="programme.applied", cohort=cohort)
            .values("province", "district")
            .annotate(n=Count("id"))
        ),
        "applicants by gender, one cohort": lambda: list(
            Event.objects.filter(kind="programme.applied", cohort=cohort)
            .values("gender")
            .annotate(n=Count("id"))
        ),
        "earnings by pathway": lambda: list(
            Event.objects.filter(kind="outcome.earning")
            .values("pathway")
            .annotate(n=Count("id"), t=Count("value"))
        ),
        "skill-gap heatmap (pathway x skill)": lambda: list(
            Event.objects.filter(kind="profiling.skill_gap")
            .values("pathway", "item")
            .annotate(n=Count("id"))
        ),
        "applications per day, one cohort": lambda: list(
            Event.objects.filter(kind="programme.applied", cohort=cohort)
            .extra(select={"d": "date(at)"})
            .values("d")
            .annotate(n=Count("id"))
        ),
    }
    few = 2 if args.smoke else max(5, args.repeat // 4)  # cold and raw reads
    print()
    print(
        f"{'tile':40} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9} {'raw p50':>9} {'raw p95':>9}  raw/cold p95"
    )
    for name, read in tiles.items():

        def cold(read=read) -> None:  # type: ignore[no-untyped-def]
            cache.clear()
            read()

        cold_ms = timed(cold, few)
        read()
        warm_ms = timed(read, args.repeat)
        raw_ms = timed(baselines[name], few)
        print(
            f"{name:40} {statistics.median(cold_ms):8.1f}  {percentile(cold_ms, 0.95):8.1f}  "
            f"{statistics.median(warm_ms):8.2f}  {percentile(warm_ms, 0.95):8.2f}  "
            f"{statistics.median(raw_ms):8.1f}  {percentile(raw_ms, 0.95):8.1f}  "
            f"{percentile(raw_ms, 0.95) / percentile(cold_ms, 0.95):6.1f}x"
        )
    # whole pages, as the analyst's browser gets them (cache warm, then cold)
    from django.test import Client

    from rabta.accounts.roles import Role
    from rabta.accounts.tests.factories import login_with_second_factor, user_with_role

    client = Client()
    login_with_second_factor(client, user_with_role(Role.COUNCIL_ANALYST))
    print()
    for page in ("programme", "inclusion", "skills", "outcomes", "brain-gain"):
        url = f"/insights/{page}/"
        answer = client.get(url)
        if answer.status_code != 200:
            print(f"page {url}: answered {answer.status_code}")
            failures += 1
        warm = timed(lambda url=url: client.get(url), 2 if args.smoke else 10)

        def cold_page(url: str = url) -> None:
            cache.clear()
            client.get(url)

        cold_ms = timed(cold_page, 1 if args.smoke else 5)
        print(
            f"page {url:28} warm p50 {statistics.median(warm):6.1f} ms · cold p50 {statistics.median(cold_ms):7.1f} ms"
        )
    del dashboards
    return failures


if __name__ == "__main__":
    main()
