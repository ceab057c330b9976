"""Staff "issue certificates" as a background job, with a real Celery worker.

    .venv/bin/python benchmarks/certificates.py [--db sqlite|postgres] [--people 5000] [--smoke]

For each of three cohorts of ``--people`` confirmed participants, a programme staff member
posts "Issue certificates" on the cohort's sessions page (Django's test client, signed in with
two factors, through the whole middleware stack) and we time:

* the page's answer: the POST returning its redirect (the job is queued, nothing issued yet);
* the job's completion: from the POST until the worker has issued every certificate and told
  every participant (inbox notice, and the email queued).

Baseline, same run: the old way, issuing inside the request (what the page did before the job):
``certificates_issue`` called in this process for a cohort of the same size.

The worker is ``celery -A config worker`` in a child process on the embedded file broker (or
the same database on PostgreSQL), exactly as ``make run`` starts it.  The database is a
throwaway: a fresh SQLite file, or ``rabta_bench_certificates`` created and dropped on the
PostgreSQL in BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from rabta.core.testing import celery_start, platform_env, process_stop  # noqa: E402

DB_NAME = "rabta_bench_certificates"


def _environment(db: str, tmp: Path) -> dict[str, str]:
    env = platform_env(tmp, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    if db == "postgres":
        base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        env["DATABASE_URL"] = urlunsplit(urlsplit(base)._replace(path=f"/{DB_NAME}"))
    return env


def _pg_admin(sql: str) -> None:
    import psycopg

    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql)


def _cohort(people: int, tag: str) -> int:
    from rabta.accounts.models import User
    from rabta.programme.models import Application
    from rabta.programme.tests.factories import CohortFactory

    cohort = CohortFactory(days_required=0, slug=f"bench-{tag}", name=f"Bench {tag}")
    users = User.objects.bulk_create(
        (
            User(email=f"{tag}-{i}@example.org", display_name=f"Participant {i}")
            for i in range(people)
        ),
        batch_size=2000,
    )
    Application.objects.bulk_create(
        (Application(cohort=cohort, user=u, state="confirmed", hours_per_week=10) for u in users),
        batch_size=2000,
    )
    return cohort.pk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--smoke", action="store_true", help="200 people, one cohort: seconds")
    args = parser.parse_args()
    people, rounds = (200, 1) if args.smoke else (args.people, 3)
    tmp = Path(tempfile.mkdtemp())
    env = _environment(args.db, tmp)
    os.environ.update(env)
    if args.db == "postgres":
        _pg_admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
        _pg_admin(f"CREATE DATABASE {DB_NAME}")
    try:
        _run(env, tmp, people, rounds, args.db)
    finally:
        if args.db == "postgres":
            from django.db import connections

            connections.close_all()
            _pg_admin(f"DROP DATABASE IF EXISTS {DB_NAME}")


def _run(env: dict[str, str], tmp: Path, people: int, rounds: int, db: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from rabta.accounts.roles import Role
    from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
    from rabta.core.models import Job, Notification
    from rabta.programme.models import Certificate, Cohort
    from rabta.programme.services import certificates_issue

    call_command("migrate", verbosity=0)
    print(f"load average {os.getloadavg()[0]:.2f} · {db} · {people} participants a cohort")
    cohorts = [_cohort(people, f"c{n}") for n in range(rounds)]
    baseline_cohort = _cohort(people, "inline")
    client = Client()
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))

    queues = "celery,email,jobs"
    worker = celery_start(
        env, "worker", "-Q", queues, "-c", "1", "-l", "WARNING", log=tmp / "w.log"
    )
    try:
        answers: list[float] = []
        clicked: list[datetime] = []
        for cohort_id in cohorts:
            slug = Cohort.objects.get(pk=cohort_id).slug
            page = client.get(reverse("programme:staff_sessions", args=[slug]))  # as staff do
            assert page.status_code == 200
            clicked.append(timezone.now())
            began = time.perf_counter()
            response = client.post(
                reverse("programme:staff_sessions", args=[slug]), {"action": "certificates"}
            )
            answers.append(time.perf_counter() - began)
            assert response.status_code == 302, response.status_code
        completions, from_click = [], []
        for cohort_id, click in zip(cohorts, clicked, strict=True):
            job = Job.objects.get(key=f"certificates:{cohort_id}")
            while True:
                job.refresh_from_db()
                if job.finished:
                    break
                time.sleep(0.2)
            assert job.state == "succeeded", job.error
            assert job.finished_at is not None
            assert job.started_at is not None
            completions.append((job.finished_at - job.started_at).total_seconds())
            from_click.append((job.finished_at - click).total_seconds())
            issued = Certificate.objects.filter(application__cohort_id=cohort_id).count()
            told = Notification.objects.filter(
                kind="programme.certified", user__applications__cohort_id=cohort_id
            ).count()
            assert (issued, told) == (people, people)
    finally:
        process_stop(worker)

    began = time.perf_counter()
    assert certificates_issue(cohort_id=baseline_cohort) == people
    inline = time.perf_counter() - began

    answer = statistics.median(answers)
    print(f"page answers (median of {rounds}):        {answer * 1000:8.1f} ms")
    print(
        f"job run time in the worker (median of {rounds}): {statistics.median(completions):8.1f} s"
        f"  ({statistics.median(completions) / people * 1000:.1f} ms a participant)"
    )
    print(f"first cohort, from the click to the last certificate: {from_click[0]:8.1f} s")
    print(f"baseline, issued inside the request:     {inline:8.1f} s")
    print(f"the page answers {inline / answer:,.0f}x sooner than it did")


if __name__ == "__main__":
    main()
