"""Background jobs people can follow: the long actions (certificates, imports, exports, reports)
and every run of a scheduled job.

* A task declared with ``job_task`` records each run in a ``Job`` row: when it started, its
  progress, its outcome or its error.  Beat's runs create their row as they start; a long
  action's row is created by ``job_start`` in the request, which answers at once and shows the
  row's progress while a worker does the work.
* The row, not the broker's message, is the truth.  A run claims its row (``claim``: only one
  worker wins), keeps a heartbeat while it works, and is given to another worker by
  ``jobs_recover`` when the heartbeat stops (a killed worker) or the message never arrived.  Job
  functions are idempotent (they skip what is already done), so a run taken over half-way ends
  with each thing done once.
* A failed run keeps its error for staff, who may run it again (``job_retry``).
"""

from __future__ import annotations

import inspect
import logging
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from celery import Task, current_app, shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.models import Job
from rabta.core.services import audit_record
from rabta.core.states import Machine, claim, step

S = Job.State
JOB = Machine(
    "job",
    "state",
    {
        "begin": step([S.QUEUED], S.RUNNING, ["system"]),
        # a run whose worker stopped beating (killed) is taken over by another
        "take_over": step([S.RUNNING], S.RUNNING, ["system"]),
        "succeed": step([S.RUNNING], S.SUCCEEDED, ["system"]),
        "fail": step([S.RUNNING], S.FAILED, ["system"]),
    },
)
UNFINISHED = (S.QUEUED, S.RUNNING)
MAX_ATTEMPTS = 3  # a job that took its worker down this often is failed, not sent again
log = logging.getLogger(__name__)
FILES_KEPT = timedelta(days=1)
KEEP_RUNS = timedelta(days=7)  # successful scheduled runs
KEEP_JOBS = timedelta(days=90)  # everything else finished, failures included
UPLOADS_KEPT = timedelta(days=2)  # an upload no job took (a worker lost it)
_LABELS: dict[str, Any] = {}
_FILE_ONCE: set[str] = set()  # tasks whose file is downloaded once, then deleted
_ORIGINS: dict[str, str] = {}  # the URL name of the page that starts each task


@dataclass(frozen=True)
class Outcome:
    """What a job function returns to say how it went, in a line, and where its result is: a
    page, or a file (name, content) that only the person who started the job may download."""

    message: str
    url: str = ""
    file: tuple[str, bytes] | None = None
    details: dict[str, Any] = field(default_factory=dict)  # kept as the job's ``result``


class Progress:
    """Handed to a job function that takes ``progress``: ``total(n)`` once it knows how much
    there is, ``advance(k)`` after each committed chunk.  Each call is the run's heartbeat."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def total(self, count: int) -> None:
        self._write(total=count)

    def advance(self, count: int = 1) -> None:
        self._write(done=F("done") + count)

    def beat(self) -> None:
        self._write()

    def _write(self, **fields: Any) -> None:
        Job.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now(), **fields)


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "JOBS_STALE_SECONDS", 120))


def job_task(
    label: Any, *, file_once: bool = False, origin: str = "", **options: Any
) -> Callable[[Callable[..., Any]], Task]:
    """Declare a Celery task whose runs are recorded (and followed) as ``Job`` rows.  The task
    keeps the function's dotted name, so beat's schedule names it as before.

    ``file_once``: the run's file (a person's data) is downloaded once; the download deletes
    it and the link then answers "gone".  ``origin``: the URL name of the page that starts the
    job, offered when its file is gone."""

    def declare(function: Callable[..., Any]) -> Task:
        name = f"{function.__module__}.{function.__name__}"
        takes_progress = "progress" in inspect.signature(function).parameters

        @wraps(function)
        def run(*args: Any, job_id: int | None = None, **kwargs: Any) -> Any:
            job = _begin(job_id, name, args)
            if job is None:
                return None  # done already, or another worker has it
            if takes_progress:
                kwargs["progress"] = Progress(job.pk)
            try:
                with _beating(job.pk):
                    result = function(*args, **kwargs)
            except Exception:
                _end(job, "fail", error=traceback.format_exc()[-4000:])
                raise
            _end(job, "succeed", outcome=result)
            return result

        _LABELS[name] = label
        if file_once:
            _FILE_ONCE.add(name)
        if origin:
            _ORIGINS[name] = origin
        return shared_task(name=name, **options)(run)

    return declare


@contextmanager
def _beating(job_id: int) -> Iterator[None]:
    """Keep the run's heartbeat while its function works, however long one step takes: only a
    dead worker stops beating, so only a dead worker's run is taken over."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(stale_after().total_seconds() / 4):
                Progress(job_id).beat()
        except Exception:  # the run goes on; a missed beat only risks an early take-over
            log.exception("job %s: heartbeat failed", job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_label(name: str) -> Any:
    return _LABELS.get(name, name.rsplit(".", 1)[-1].replace("_", " "))


def job_file_once(name: str) -> bool:
    return name in _FILE_ONCE


def job_origin(name: str) -> str:
    return _ORIGINS.get(name, "")


def _begin(job_id: int | None, name: str, args: tuple[Any, ...]) -> Job | None:
    now = timezone.now()
    if job_id is None:  # a run beat sent
        return Job.objects.create(
            name=name,
            args=list(args),
            scheduled=True,
            state=S.RUNNING,
            attempts=1,
            started_at=now,
            heartbeat_at=now,
        )
    moved = claim(
        JOB,
        Job.objects.filter(pk=job_id),
        "begin",
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
    ) or claim(
        JOB,
        Job.objects.filter(pk=job_id, heartbeat_at__lt=now - stale_after()),
        "take_over",
        attempts=F("attempts") + 1,
        heartbeat_at=now,
    )
    return Job.objects.get(pk=job_id) if moved else None


def _end(job: Job, action: str, *, outcome: Any = None, error: str = "") -> None:
    message, url, stored, details = "", "", "", {}
    if isinstance(outcome, Outcome):
        message, url, details = outcome.message, outcome.url, outcome.details
        if outcome.file is not None:
            name, content = outcome.file
            # a folder of its own: the download keeps its name even where one is left over
            folder = f"jobs/{job.pk}/{uuid.uuid4().hex[:12]}"
            stored = default_storage.save(f"{folder}/{name}", ContentFile(content))
            url = reverse("core:job_file", args=[job.pk])
    elif outcome is not None:
        message = str(outcome)
    with transaction.atomic():
        ended = claim(
            JOB,
            Job.objects.filter(pk=job.pk),
            action,
            message=message[:300],
            result_url=url[:300],
            result_file=stored,
            result=details,
            error=error,
            finished_at=timezone.now(),
        )
        if ended and job.started_by_id is not None and not job.scheduled:
            _tell_starter(Job.objects.select_related("started_by").get(pk=job.pk))


def _tell_starter(job: Job) -> None:
    """The person who started a long action hears when it ends (in the inbox, and by email
    as their preferences say)."""
    from rabta.core.notifications import job_done_notify  # notifications send through tasks

    job_done_notify(job.started_by, job, url=job.result_url or reverse("core:job", args=[job.pk]))


def job_start(task: Task, *args: Any, user: Any = None, key: str = "") -> Job:
    """Start a long action in the background; returns its row at once (the request answers
    and shows the progress).  With a ``key``, a job of that key not yet finished is returned
    instead of starting a second one (a double click, two staff at once)."""
    if key:
        running = Job.objects.filter(key=key, state__in=UNFINISHED).first()
        if running is not None:
            return running
    try:
        with transaction.atomic():
            job = Job.objects.create(
                name=task.name, args=list(args), started_by=user if user else None, key=key
            )
    except IntegrityError:
        return Job.objects.get(key=key, state__in=UNFINISHED)
    _send(job, task)
    return job


def _send(job: Job, task: Task | None = None) -> None:
    """Through the one task facade: after commit, robust to a broker outage (jobs_recover
    sends the job again once the broker is back)."""
    from rabta.core.tasks import task_enqueue  # core.tasks declares its jobs with job_task

    task_enqueue(task or current_app.tasks[job.name], *job.args, job_id=job.pk)


def job_retry(job: Job, *, user: Any) -> Job:
    """Run a failed job again, as a new run that remembers the one it retries.  The run
    belongs to whoever started the first (an export stays theirs alone); the staff member who
    retried it is in the audit log."""
    if job.state != S.FAILED:
        raise DomainError(ErrorCode.CONFLICT, _("Only a failed job can be run again."))
    if job.retries.filter(state__in=UNFINISHED).exists():
        raise DomainError(ErrorCode.CONFLICT, _("This job is already running again."))
    with transaction.atomic():
        again = Job.objects.create(
            name=job.name,
            args=job.args,
            started_by_id=job.started_by_id,
            retry_of=job,
            key=job.key,
        )
        audit_record(actor=user, action="job.retried", target=job, run=again.pk)
    _send(again)
    return again


def jobs_recover() -> int:
    """Send again the jobs whose message was lost (queued for longer than the stale time) or
    whose worker stopped beating (killed mid-job); the run that claims them finishes them.
    Old successful scheduled runs are forgotten.  Returns how many were sent again."""
    now = timezone.now()
    cutoff = now - stale_after()
    stopped = Q(state=S.RUNNING, heartbeat_at__lt=cutoff)
    claim(
        JOB,
        Job.objects.filter(stopped, attempts__gte=MAX_ATTEMPTS),
        "fail",
        error=f"The worker stopped during this job {MAX_ATTEMPTS} times; it is not sent again.",
        finished_at=now,
    )
    stuck = list(
        Job.objects.filter(
            Q(state=S.QUEUED, created_at__lt=cutoff) | stopped,
            Q(resent_at__isnull=True) | Q(resent_at__lt=cutoff),  # once per stale period
            scheduled=False,
        )
    )
    for job in stuck:
        if job.name in current_app.tasks:
            Job.objects.filter(pk=job.pk).update(resent_at=now)
            _send(job)
    claim(
        JOB,
        Job.objects.filter(scheduled=True, heartbeat_at__lt=cutoff),
        "fail",
        error="The worker stopped during this run.",
        finished_at=timezone.now(),
    )
    Job.objects.filter(scheduled=True, state=S.SUCCEEDED, created_at__lt=now - KEEP_RUNS).delete()
    Job.objects.filter(state__in=(S.SUCCEEDED, S.FAILED), created_at__lt=now - KEEP_JOBS).delete()
    _files_forget(older_than=now - FILES_KEPT)
    _uploads_forget(older_than=now - UPLOADS_KEPT)
    return len(stuck)


def _uploads_forget(*, older_than: datetime) -> None:
    """Uploads are read and deleted by their job; one left behind (its job failed before it
    read the file) holds personal data and goes after two days."""
    try:
        _folders, names = default_storage.listdir("jobs/uploads")
    except (FileNotFoundError, NotImplementedError):
        return
    for name in names:
        stored = f"jobs/uploads/{name}"
        try:
            if default_storage.get_modified_time(stored) < older_than:
                default_storage.delete(stored)
        except (FileNotFoundError, NotImplementedError):
            continue


def upload_discard(stored: str) -> None:
    """Delete a kept upload no job will read (its job joined one already running)."""
    if stored.startswith("jobs/uploads/"):
        default_storage.delete(stored)


class FileGone(Exception):
    """The job's file was downloaded already (a once-only file) or forgotten after a day."""

    def __init__(self, job: Job) -> None:
        super().__init__(job.pk)
        self.job = job


def job_file_take(*, user: Any, pk: int) -> tuple[str, Any]:
    """The file of a finished job, for the person who started it and nobody else (not staff
    either: an export is that person's data): its name and an open file, or its bytes for a
    once-only file, which this download deletes (a second download, even at the same moment,
    finds it gone).  Anyone else gets NotFound; the starter of a file taken or past its day
    gets ``FileGone``."""
    job = Job.objects.filter(pk=pk, started_by_id=user.pk or 0, state=S.SUCCEEDED).first()
    if job is None:
        raise NotFound()
    expired = job.finished_at is not None and job.finished_at < timezone.now() - FILES_KEPT
    if not job.result_file or job.result_taken_at or expired:
        raise FileGone(job)
    stored = job.result_file.name or ""
    name = stored.rsplit("/", 1)[-1]
    if not job_file_once(job.name):
        return name, job.result_file.open("rb")
    if not Job.objects.filter(pk=job.pk, result_taken_at__isnull=True).update(
        result_taken_at=timezone.now()
    ):
        raise FileGone(job)
    try:
        with default_storage.open(stored, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise FileGone(job) from None
    default_storage.delete(stored)
    Job.objects.filter(pk=job.pk).update(result_file="")
    return name, bytes(content)


def _files_forget(*, older_than: datetime) -> None:
    """Exports hold personal data: their files are kept a day, then deleted."""
    for job in Job.objects.exclude(result_file="").filter(finished_at__lt=older_than):
        job.result_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="", result_url="")


def upload_keep(*, name: str, content: bytes) -> str:
    """Keep an uploaded file for the job that will read it (the request answers before the
    file is read); returns its storage name, the job's argument.  ``upload_take`` reads it back
    and deletes it."""
    safe = "".join(c for c in name[-80:] if c.isalnum() or c in "._-").lstrip(".") or "upload"
    return default_storage.save(f"jobs/uploads/{uuid.uuid4().hex}-{safe}", ContentFile(content))


def upload_take(stored: str) -> bytes:
    """The kept upload's bytes; the file is deleted once read (a rerun of the job after that
    finds it gone and says so)."""
    if not stored.startswith("jobs/uploads/") or not default_storage.exists(stored):
        raise FileNotFoundError(stored)
    with default_storage.open(stored, "rb") as handle:
        content = handle.read()
    default_storage.delete(stored)
    return bytes(content)
