"""The platform runs itself: a real Celery worker and beat, on the embedded file broker and an
SQLite database of their own, move deadlines on with no request to the web server.

Everything here runs in child processes (``manage.py shell``, ``celery worker``, ``celery
beat``) against a fresh database file, exactly as ``make run`` starts them."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rabta.core.testing import ROOT, celery_start, platform_env, process_stop

SETUP = """
import datetime as dt, json
from django.utils import timezone
from rabta.braingain import services as bg
from rabta.braingain.models import MatchRequest
from rabta.braingain.tests.conftest import contributor, engineer, post_ask
from rabta.programme import services as programme
from rabta.programme.tests.factories import ANSWERS, CohortFactory, verified_engineer
from rabta.programme.models import Application

now = timezone.now()
seeker, first, second, busy = engineer(), contributor(), contributor(), contributor()
lapsing = bg.request_send(user=seeker, ask_id=post_ask(seeker).pk, contributor_id=first.pk)
MatchRequest.objects.filter(pk=lapsing.pk).update(respond_by=now + dt.timedelta(seconds=3))
waiting = bg.request_send(user=seeker, ask_id=post_ask(seeker).pk, contributor_id=busy.pk)
MatchRequest.objects.filter(pk=waiting.pk).update(respond_by=now + dt.timedelta(hours=20))

cohort = CohortFactory(seats=1, offer_days=1)
late, patient = verified_engineer(), verified_engineer()
offered, _ = programme.application_submit(user=late, cohort_id=cohort.pk, data=ANSWERS)
programme.application_submit(user=patient, cohort_id=cohort.pk, data=ANSWERS)
Application.objects.filter(pk=offered.pk).update(offer_expires_at=now + dt.timedelta(seconds=3))
print(json.dumps({"lapsing": lapsing.pk, "waiting": waiting.pk, "offered": offered.pk,
                  "late": late.email, "busy": busy.pk}))
"""

CHECK = """
import json
from rabta.braingain.models import MatchRequest
from rabta.core.models import Job, Notification
from rabta.programme.models import Application
ids = json.loads('%s')
lapsing = MatchRequest.objects.get(pk=ids["lapsing"])
offered = Application.objects.get(pk=ids["offered"])
print(json.dumps({
    "request": lapsing.status,
    "moved_to_next": MatchRequest.objects.filter(ask_id=lapsing.ask_id, status="pending").exists(),
    "offer": offered.state,
    "waitlist_offered": Application.objects.filter(
        cohort_id=offered.cohort_id, state="offered").exclude(pk=offered.pk).exists(),
    "reminded": Notification.objects.filter(
        user_id=ids["busy"], kind="braingain.reminder").exists(),
    "runs": sorted(set(Job.objects.filter(scheduled=True, state="succeeded")
        .values_list("name", flat=True))),
}))
"""


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def platform(tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = platform_env(tmp_path, BEAT_EVERY_AT_MOST="2")
    _manage(env, "migrate", "--no-input", "-v", "0")
    return env, tmp_path


def _watch(env: dict[str, str], ids: str, until: float) -> dict[str, object]:
    seen: dict[str, object] = {}
    while time.monotonic() < until:
        seen = json.loads(_manage(env, "shell", "-c", CHECK % ids).strip().splitlines()[-1])
        if seen["request"] == "expired" and seen["offer"] == "expired" and seen["reminded"]:
            break
        time.sleep(2)
    return seen


def test_worker_and_beat_move_deadlines_on_with_no_web_request(platform):
    env, tmp = platform
    ids = _manage(env, "shell", "-c", SETUP).strip().splitlines()[-1]
    worker = celery_start(
        env, "worker", "-Q", "celery,email,jobs", "-c", "1", "-l", "INFO", log=tmp / "worker.log"
    )
    beat = celery_start(
        env,
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        str(tmp / "beat-schedule"),
        log=tmp / "beat.log",
    )
    try:
        seen = _watch(env, ids, time.monotonic() + 120)
    finally:
        process_stop(beat)
        process_stop(worker)
    logs = (tmp / "worker.log").read_text(errors="replace")[-3000:]
    assert seen["request"] == "expired", logs
    assert seen["moved_to_next"], seen
    assert seen["offer"] == "expired", logs
    assert seen["waitlist_offered"], seen
    assert seen["reminded"], seen
    assert {
        "rabta.braingain.tasks.requests_expire_task",
        "rabta.programme.tasks.offers_expire_task",
    } <= set(seen["runs"])
    # the expiry was emailed by the worker, into the mail log
    late = json.loads(ids)["late"]
    mails = "".join(path.read_text() for path in (tmp / "mail").glob("*.log"))
    assert f"To: {late}" in mails


CERTIFY = """
import json
from rabta.accounts.models import User
from rabta.core.jobs import job_start
from rabta.programme.models import Application
from rabta.programme.tasks import certificates_issue_task
from rabta.programme.tests.factories import CohortFactory

cohort = CohortFactory(days_required=0)
people = User.objects.bulk_create(
    User(email=f"p{i}@example.org", display_name=f"Participant {i}") for i in range(%d)
)
Application.objects.bulk_create(
    Application(cohort=cohort, user=u, state="confirmed", hours_per_week=10) for u in people
)
print(json.dumps({"job": job_start(certificates_issue_task, cohort.pk).pk}))
"""


def _row(tmp: Path, sql: str, *args: object) -> tuple:
    with sqlite3.connect(tmp / "rabta.sqlite3", timeout=30) as db:
        return db.execute(sql, args).fetchone()


def test_a_job_survives_its_worker_being_killed_and_does_each_thing_once(platform):
    env, tmp = platform
    env["JOBS_STALE_SECONDS"] = "4"
    people = 1200  # long enough to be caught mid-way on a fast machine too
    job = json.loads(_manage(env, "shell", "-c", CERTIFY % people).strip().splitlines()[-1])["job"]
    worker = celery_start(
        env, "worker", "-Q", "celery,email,jobs", "--concurrency", "1", log=tmp / "worker-1.log"
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            # past the first chunks, and past a beat of the heartbeat thread (every second):
            # writes from two connections while the run walks its rows
            state, done, beating = _row(
                tmp,
                "select state, done, julianday(heartbeat_at) - julianday(started_at)"
                " from core_job where id = ?",
                job,
            )
            if state not in ("queued", "running"):
                break  # failed or finished: the assertions below say which
            if done >= 100 and beating is not None and beating * 86400 >= 1.5:
                break
            time.sleep(0.1)
        os.killpg(worker.pid, signal.SIGKILL)  # mid-job, no goodbye
        worker.wait()
    finally:
        process_stop(worker)
    state, done, error = _row(tmp, "select state, done, error from core_job where id = ?", job)
    assert state == "running", error or (tmp / "worker-1.log").read_text()[-3000:]
    assert 0 < done < people
    # a new worker, and beat's recovery job, take the run over
    worker = celery_start(
        env, "worker", "-Q", "celery,email,jobs", "--concurrency", "1", log=tmp / "worker-2.log"
    )
    beat = celery_start(env, "beat", "--schedule", str(tmp / "beat-schedule"), log=tmp / "beat.log")
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if _row(tmp, "select state from core_job where id = ?", job)[0] != "running":
                break
            time.sleep(1)
    finally:
        process_stop(beat)
        process_stop(worker)
    state, attempts, message = _row(
        tmp, "select state, attempts, message from core_job where id = ?", job
    )
    assert (state, attempts) == ("succeeded", 2), (tmp / "worker-2.log").read_text()[-3000:]
    assert _row(tmp, "select count(*) from programme_certificate")[0] == people
    told = _row(
        tmp,
        "select count(*), count(distinct user_id) from core_notification"
        " where kind = 'programme.certified'",
    )
    assert told == (people, people)
