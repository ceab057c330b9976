"""Registration rush: the real HTTP stack under a first-come, first-served opening.

    .venv/bin/python benchmarks/rush [--applicants 50000] [--seats 5000] [--concurrency 200]
                                     [--workers 5] [--kills 5] [--smoke]

``--smoke`` (CI): 400 applicants for 40 seats, 20 clients, 2 workers killed every 0.8 s: the
same path end to end in well under a minute, judged by its invariants only, never its speed.

Creates a fresh PostgreSQL database, 50,000 verified engineers with API tokens and a
first-come cohort of 5,000 seats; starts gunicorn (sync workers, production settings, Redis as
cache and broker); then, in one run:

1. the ceiling: the same server answering a bare view that inserts one row;
2. the rush: every applicant submits once, 200+ at a time, each with an idempotency key;
3. the rush again on a new cohort while a worker process is killed several times, clients
   retrying with their idempotency keys.

It prints applications/s, p50/p99 latency and the ratio to the ceiling, and checks the
invariants: exactly the seats granted, the rest waitlisted, every 2xx answer has its row,
every row was answered, no duplicates.  Exits non-zero if an invariant fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
HOST, PORT = "127.0.0.1", 8765
BASE = f"http://{HOST}:{PORT}"


def use_free_port() -> None:
    """Listen on a port nobody holds (a second run, or a smoke beside a full run)."""
    global PORT, BASE
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        PORT = probe.getsockname()[1]
    BASE = f"http://{HOST}:{PORT}"


PG = os.environ.get("RUSH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("RUSH_REDIS", "redis://127.0.0.1:6379/13")
DB = f"rabta_rush_{int(time.time())}"


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "rush-benchmark-secret-" + "k" * 40,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{PG}/{DB}",
        "DATABASE_CONN_MAX_AGE": "600",
        "REDIS_URL": REDIS,
        "ROOT_URLCONF": "rush.urls",
        "PYTHONPATH": f"{ROOT / 'benchmarks'}:{ROOT}",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def setup_django() -> None:
    os.environ.update(server_env())
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import django

    django.setup()


def create_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{DB}"')


def drop_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')


def seed(applicants: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from rabta.accounts.models import ApiToken, EngineerProfile, User

    started = time.perf_counter()
    now = timezone.now()
    password = make_password(None)
    users = [
        User(
            email=f"rush{i:06d}@example.test",
            display_name=f"Applicant {i}",
            password=password,
            email_verified_at=now,
        )
        for i in range(applicants)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    users = list(User.objects.filter(email__startswith="rush").order_by("email"))
    provinces = ["Punjab", "Sindh", "Khyber Pakhtunkhwa", "Balochistan"]
    districts = ["pb-lahore", "sd-hyderabad", "kp-swat", "bl-quetta"]
    EngineerProfile.objects.bulk_create(
        [
            EngineerProfile(
                user=u,
                pec_number=f"CIVIL/{i + 1}",
                verification_state="verified",
                discipline="CIVIL",
                degree="BE",
                university="UET",
                graduation_year=2020,
                province=provinces[i % 4],
                district=districts[i % 4],
                gender="woman" if i % 5 == 0 else "man",
                years_experience=i % 8,
                employment_status="employed_full_time",
            )
            for i, u in enumerate(users)
        ],
        batch_size=5000,
    )
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                user=u,
                name="rush",
                prefix=f"rbt_rush{i}"[:10],
                key_hash=ApiToken.hash_key(token_for(i)),
            )
            for i, u in enumerate(users)
        ],
        batch_size=5000,
    )
    print(f"seeded {applicants} applicants in {time.perf_counter() - started:.1f} s")


def token_for(i: int) -> str:
    return f"rbt_rush_{i:06d}"


def new_cohort(name: str, seats: int) -> int:
    from datetime import date

    from django.utils import timezone

    from rabta.programme.models import Cohort

    now = timezone.now()
    return Cohort.objects.create(
        name=name,
        slug=name,
        starts_on=date(2027, 1, 18),
        ends_on=date(2027, 1, 22),
        seats=seats,
        applications_open_at=now - timedelta(minutes=1),
        applications_close_at=now + timedelta(days=1),
        policy="first_come",
    ).pk


def start_server(workers: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{PORT}",
            "--backlog",
            "4096",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env(),
    )
    for _ in range(100):
        try:
            import urllib.request

            urllib.request.urlopen(f"{BASE}/api/reference/districts", timeout=1)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


async def drive(
    jobs: list[tuple[int, str, dict[str, str], bytes | None]],
    concurrency: int,
) -> tuple[float, list[float], dict[int, tuple[int, dict]]]:
    """POST every job; retry failed attempts with the same headers (idempotency key)."""
    queue: asyncio.Queue[tuple[int, str, dict[str, str], bytes | None]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    latencies: list[float] = []
    answers: dict[int, tuple[int, dict]] = {}
    failed_attempts = [0]
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=True)
    timeout = aiohttp.ClientTimeout(total=60)

    async def worker(session: aiohttp.ClientSession) -> None:
        while True:
            try:
                n, url, headers, body = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            for attempt in range(30):
                started = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers) as response:
                        payload = await response.json(content_type=None)
                        latencies.append(time.perf_counter() - started)
                        if response.status < 500:
                            answers[n] = (response.status, payload)
                            break
                except (TimeoutError, aiohttp.ClientError, ValueError):
                    pass
                failed_attempts[0] += 1
                await asyncio.sleep(min(2.0, 0.05 * 2**attempt))
            else:
                answers[n] = (0, {})

    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    drive.failed_attempts = failed_attempts[0]  # type: ignore[attr-defined]
    return time.perf_counter() - started, latencies, answers


def ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def ceiling(requests: int, concurrency: int) -> tuple[float, dict[str, object]]:
    jobs = [(i, f"{BASE}/bench/insert/", {}, b"") for i in range(requests)]
    wall, latencies, answers = asyncio.run(drive(jobs, concurrency))
    ok = sum(1 for status, _ in answers.values() if status == 201)
    rate = ok / wall
    print(
        f"ceiling  {ok} one-row inserts in {wall:.1f} s = {rate:,.0f}/s; "
        f"p50 {ms(latencies, 0.5):.0f} ms, p99 {ms(latencies, 0.99):.0f} ms"
    )
    good = ok == requests
    row = {
        "label": "ceiling",
        "rate": rate,
        "ratio": 1.0,
        "p50": ms(latencies, 0.5),
        "p99": ms(latencies, 0.99),
        "verdict": "ok" if good else f"FAILED: {requests - ok} inserts not answered 201",
    }
    return rate, row


def rush(
    label: str,
    cohort_id: int,
    applicants: int,
    concurrency: int,
    ceiling_rate: float,
    kill: tuple[int, int] | None = None,
    kill_every: float = 2.5,
) -> dict[str, object]:
    import json

    body = json.dumps(
        {
            "motivation": "First international client.",
            "hours_per_week": 10,
            "employment": "employed",
            "consent": True,
        }
    ).encode()
    url = f"{BASE}/api/programme/cohorts/{cohort_id}/applications"
    jobs = [
        (
            i,
            url,
            {
                "Authorization": f"Bearer {token_for(i)}",
                "Idempotency-Key": f"{label}-{i}",
                "Content-Type": "application/json",
            },
            body,
        )
        for i in range(applicants)
    ]
    random.Random(7).shuffle(jobs)
    killer = None
    kills: list[int] = []
    kill_times: list[float] = []
    if kill is not None:
        master_pid, times = kill

        def kill_workers() -> None:
            # Every few seconds, SIGKILL every worker at once: whatever they were doing, in the
            # middle of a transaction or of a response, is cut off; the master starts new ones.
            for _ in range(times):
                time.sleep(kill_every)
                children = subprocess.run(
                    ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
                ).stdout.split()
                for victim in children:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(victim), signal.SIGKILL)
                        kills.append(int(victim))
                        kill_times.append(time.perf_counter())

        killer = threading.Thread(target=kill_workers, daemon=True)
        killer.start()
    wall, latencies, answers = asyncio.run(drive(jobs, concurrency))
    finished = time.perf_counter()
    if killer is not None:
        killer.join()
    during = sum(1 for at in kill_times if at < finished)
    ok = [n for n, (status, _) in answers.items() if status in (200, 201)]
    rate = len(ok) / wall
    print(
        f"{label:8} {len(ok)} applications in {wall:.1f} s = {rate:,.0f}/s "
        f"({rate / ceiling_rate:.0%} of the ceiling); p50 {ms(latencies, 0.5):.0f} ms, "
        f"p99 {ms(latencies, 0.99):.0f} ms; failed attempts retried: {drive.failed_attempts}"  # type: ignore[attr-defined]
        + (f"; workers killed: {len(kills)} ({during} during the rush)" if kill else "")
    )
    failures = check(label, cohort_id, applicants, answers)
    if kill is not None and not during:
        failures.append("no worker was killed before the rush ended")
    return {
        "label": label,
        "rate": rate,
        "ratio": rate / ceiling_rate,
        "p50": ms(latencies, 0.5),
        "p99": ms(latencies, 0.99),
        "verdict": "all hold" if not failures else "FAILED: " + "; ".join(failures),
    }


def check(
    label: str,
    cohort_id: int,
    applicants: int,
    answers: dict[int, tuple[int, dict]],
) -> list[str]:
    """What is wrong with the cohort after a rush: oversold or undersold seats, acknowledged
    applications without their row, rows nobody was told of, duplicates."""
    from rabta.accounts.models import User
    from rabta.programme.models import Application, Cohort

    cohort = Cohort.objects.get(pk=cohort_id)
    rows = dict(Application.objects.filter(cohort=cohort).values_list("user__email", "pk"))
    states = list(Application.objects.filter(cohort=cohort).values_list("state", flat=True))
    emails = dict(User.objects.filter(email__startswith="rush").values_list("email", "pk"))
    answered = {
        f"rush{n:06d}@example.test": payload.get("id")
        for n, (status, payload) in answers.items()
        if status in (200, 201)
    }
    failures = []
    if states.count("offered") > cohort.seats or cohort.seats_taken > cohort.seats:
        failures.append(f"oversold: {states.count('offered')} offered for {cohort.seats} seats")
    if len(set(rows.values())) != len(states):
        failures.append(f"{len(states) - len(set(rows.values()))} duplicate applications")
    if states.count("offered") != cohort.seats or cohort.seats_taken != cohort.seats:
        failures.append(
            f"seats granted {states.count('offered')} (counter "
            f"{cohort.seats_taken}), expected {cohort.seats}"
        )
    if states.count("waitlisted") != applicants - cohort.seats:
        failures.append(
            f"waitlisted {states.count('waitlisted')}, expected {applicants - cohort.seats}"
        )
    missing_rows = [e for e, pk in answered.items() if rows.get(e) != pk]
    if missing_rows:
        failures.append(f"{len(missing_rows)} 2xx answers without their row")
    unanswered = set(rows) - set(answered)
    if unanswered:
        failures.append(f"{len(unanswered)} rows never answered with 2xx")
    if len(rows) != len(states) or len(answered) != applicants or len(emails) != applicants:
        failures.append(f"rows {len(states)} for {len(rows)} people, answers {len(answered)}")
    verdict = "all invariants hold" if not failures else "FAILED: " + "; ".join(failures)
    print(
        f"{label:8} {states.count('offered')} offered, {states.count('waitlisted')} "
        f"waitlisted, {len(rows)} rows, no duplicates: {verdict}"
    )
    return failures


def table(rows: list[dict[str, object]]) -> None:
    print()
    print(f"{'run':8} {'per s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7}  invariants")
    for row in rows:
        print(
            f"{row['label']:8} {row['rate']:8,.0f} {row['ratio']:6.0%} {row['p50']:7.0f} "
            f"{row['p99']:7.0f}  {row['verdict']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applicants", type=int, default=50_000)
    parser.add_argument("--seats", type=int, default=5_000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--ceiling-requests", type=int, default=20_000)
    parser.add_argument("--kill-every", type=float, default=2.5, help="seconds between kills")
    parser.add_argument(
        "--smoke", action="store_true", help="400 applicants, 40 seats, 2 workers: seconds (CI)"
    )
    args = parser.parse_args()
    if args.smoke:
        args.applicants, args.seats, args.concurrency = 400, 40, 20
        args.workers, args.kills, args.kill_every, args.ceiling_requests = 2, 3, 0.8, 200
    use_free_port()
    # a run stopped with SIGTERM (a timeout, Ctrl-C's cousin) still stops gunicorn and drops
    # its database in the ``finally`` below
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(
        f"load average {os.getloadavg()[0]:.2f} · {args.applicants} applicants for "
        f"{args.seats} seats"
        + (" · smoke: invariants only, speed not judged" if args.smoke else "")
    )

    create_database()
    server = None
    rows: list[dict[str, object]] = []
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"],
            cwd=ROOT,
            env=server_env(),
            check=True,
        )
        setup_django()
        seed(args.applicants)
        normal = new_cohort("rush", args.seats)
        killed = new_cohort("rush-kill", args.seats)
        server = start_server(args.workers)
        print(
            f"gunicorn: {args.workers} sync workers; PostgreSQL; Redis; "
            f"{args.concurrency} concurrent clients"
        )
        rate, row = ceiling(args.ceiling_requests, args.concurrency)
        rows.append(row)
        rows.append(rush("rush", normal, args.applicants, args.concurrency, rate))
        rows.append(
            rush(
                "kill",
                killed,
                args.applicants,
                args.concurrency,
                rate,
                kill=(server.pid, args.kills),
                kill_every=args.kill_every,
            )
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        from django.conf import settings
        from django.db import connections

        if settings.configured:  # not yet when stopped during the migration
            connections.close_all()
        drop_database()
        subprocess.run(["redis-cli", "-u", REDIS, "flushdb"], capture_output=True)
    table(rows)
    good = len(rows) == 3 and all(row["verdict"] in ("ok", "all hold") for row in rows)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    raise SystemExit(0 if good else 1)


if __name__ == "__main__":
    main()
