"""Background jobs: a row per run with its progress and outcome, one unfinished job per key,
take-over of a run whose worker died, retry of a failed one, and the staff jobs page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import UserFactory, login_with_second_factor, user_with_role
from rabta.core import jobs
from rabta.core.errors import DomainError
from rabta.core.jobs import Outcome, Progress, job_start, job_task
from rabta.core.models import AuditLog, Job, Notification

pytestmark = pytest.mark.django_db

DONE: list[int] = []


@job_task("Count things")
def count_task(n: int, *, progress: Progress) -> Outcome:
    progress.total(n)
    for _ in range(n):
        DONE.append(n)
        progress.advance()
    return Outcome(f"{n} counted", url="/somewhere/")


@job_task("Always fails")
def broken_task() -> None:
    raise RuntimeError("the printer is on fire")


@pytest.fixture(autouse=True)
def _clean():
    DONE.clear()


def test_a_started_job_answers_at_once_then_records_progress_and_outcome(
    django_capture_on_commit_callbacks,
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as sent:
        job = job_start(count_task, 3, user=person)
    assert job.state == Job.State.QUEUED  # nothing ran inside the request
    assert DONE == []
    for callback in sent:
        callback()
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.message, job.result_url) == (
        "succeeded",
        3,
        3,
        "3 counted",
        "/somewhere/",
    )
    assert job.attempts == 1
    assert job.started_by == person
    told = Notification.objects.get(user=person)
    assert (told.kind, told.url) == ("core.job_done", "/somewhere/")
    assert "3 counted" in told.title
    assert job.finished_at is not None


def test_a_second_click_joins_the_unfinished_job_of_its_key(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = job_start(count_task, 2, key="count:2")
        second = job_start(count_task, 2, key="count:2")
    assert first.pk == second.pk
    assert Job.objects.count() == 1


def test_a_delivered_twice_job_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(count_task, 2)
    count_task.apply(args=[2], kwargs={"job_id": job.pk})  # the broker delivers it again
    assert DONE == [2, 2]
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_run_whose_worker_died_is_taken_over_and_finished(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(count_task, 2)
    # a worker claimed it and was killed: the row says running, the heartbeat stopped
    Job.objects.filter(pk=job.pk).update(
        state="running", attempts=1, heartbeat_at=timezone.now() - timedelta(minutes=5)
    )
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.jobs_recover() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("succeeded", 2)


def test_a_live_run_is_not_taken_over(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(count_task, 2)
    Job.objects.filter(pk=job.pk).update(state="running", heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.jobs_recover() == 0
    count_task.apply(args=[2], kwargs={"job_id": job.pk})
    assert DONE == []
    assert Job.objects.get(pk=job.pk).state == "running"


def test_a_failure_keeps_its_error_and_can_be_run_again(django_capture_on_commit_callbacks):
    person, staff = UserFactory(), user_with_role(Role.PROGRAMME_STAFF)
    # the request that started it is not failed by the job's failure (nor by a broker down)
    with django_capture_on_commit_callbacks(execute=True):
        job_start(broken_task, user=person)
    failed = Job.objects.get()
    assert failed.state == "failed"
    assert "the printer is on fire" in failed.error
    with django_capture_on_commit_callbacks(execute=False):
        again = jobs.job_retry(failed, user=staff)
    assert again.retry_of == failed
    assert again.state == "queued"
    # the run stays the person's (an export is theirs alone); who retried it is audited
    assert again.started_by == person
    assert AuditLog.objects.filter(action="job.retried", actor=staff).count() == 1
    with pytest.raises(DomainError):
        jobs.job_retry(failed, user=staff)  # already running again
    with pytest.raises(DomainError):
        jobs.job_retry(again, user=staff)  # not failed


def test_a_scheduled_run_records_itself():
    count_task.apply(args=[1])  # what beat sends: no job row yet
    assert not Notification.objects.exists()  # nobody to tell
    run = Job.objects.get()
    assert run.scheduled
    assert run.state == "succeeded"
    assert run.message == "1 counted"


def test_old_successful_scheduled_runs_are_forgotten_failures_kept():
    count_task.apply(args=[1])
    old = timezone.now() - timedelta(days=8)
    Job.objects.update(created_at=old)
    Job.objects.create(name="x", scheduled=True, state="failed", error="boom", created_at=old)
    jobs.jobs_recover()
    assert list(Job.objects.values_list("state", flat=True)) == ["failed"]


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PROGRAMME_STAFF, True),
        (Role.ADMINISTRATOR, True),
        (Role.COUNCIL_ANALYST, False),
        (Role.ENGINEER, False),
        (Role.CONTRIBUTOR, False),
        (Role.INSTITUTION_REP, False),
        (Role.MODERATOR, False),
    ],
)
def test_only_staff_see_the_jobs_page_and_retry(client, role, allowed):
    person = user_with_role(role)
    login_with_second_factor(client, person)
    failed = Job.objects.create(name=broken_task.name, state="failed", error="<b>boom</b>")
    page = client.get(reverse("core:jobs"))
    assert page.status_code == (200 if allowed else 403)
    retried = client.post(reverse("core:job_retry", args=[failed.pk]))
    if allowed:
        assert retried.status_code == 302
        assert Job.objects.filter(retry_of=failed).count() == 1
        assert "&lt;b&gt;boom&lt;/b&gt;" in page.content.decode()  # escaped, never markup
    else:
        assert retried.status_code == 403
        assert not Job.objects.filter(retry_of=failed).exists()


def test_the_jobs_page_shows_each_scheduled_job_with_last_and_next_run(client):
    staff = user_with_role(Role.PROGRAMME_STAFF)
    login_with_second_factor(client, staff)
    from rabta.programme.tasks import offers_expire_task

    offers_expire_task.apply()
    page = client.get(reverse("core:jobs")).content.decode()
    assert "Seat offers: expire those past their deadline" in page
    assert "0 offers expired" in page
    assert "not yet" in page  # the other scheduled jobs have not run


def test_a_person_follows_only_their_own_job(client, django_capture_on_commit_callbacks):
    owner, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(count_task, 2, user=owner)
    client.force_login(other)
    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    client.force_login(owner)
    page = client.get(reverse("core:job", args=[job.pk]))
    assert page.status_code == 200
    assert b"Count things" in page.content
    partial = client.get(reverse("core:job", args=[job.pk]), headers={"HX-Request": "true"})
    assert b"hx-trigger" in partial.content
    assert b"<html" not in partial.content
    assert client.get(reverse("core:job", args=[999999])).status_code == 404


def test_a_job_that_keeps_killing_its_worker_is_failed_not_sent_again(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(count_task, 2)
    old = timezone.now() - timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(state="running", attempts=3, heartbeat_at=old)
    with django_capture_on_commit_callbacks(execute=False) as sent:
        assert jobs.jobs_recover() == 0
    assert sent == []
    job.refresh_from_db()
    assert job.state == "failed"
    assert "3 times" in job.error


def test_a_stuck_job_is_sent_again_once_per_stale_period(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(count_task, 2)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=False) as first:
        assert jobs.jobs_recover() == 1
    with django_capture_on_commit_callbacks(execute=False) as second:
        assert jobs.jobs_recover() == 0  # the next minute: already sent again
    assert (len(first), len(second)) == (1, 0)


@pytest.mark.django_db(transaction=True)  # the heartbeat writes from its own thread
def test_a_long_step_keeps_its_heartbeat(settings):
    """Only a dead worker stops beating: a run busy in one long step is never taken over."""
    import time

    settings.JOBS_STALE_SECONDS = 0.2
    beats: list[object] = []

    @job_task("Slow step")
    def slow_task() -> None:
        time.sleep(0.3)
        run = Job.objects.get()
        beats.append((run.started_at, run.heartbeat_at))

    slow_task.apply()
    started, beaten = beats[0]
    assert beaten > started
