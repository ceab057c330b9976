"""Reads owned by core: a person's own inbox, the background jobs, the email outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from rabta.core.errors import NotFound
from rabta.core.jobs import job_label
from rabta.core.models import Email, Job, Notification


def notification_list(*, user: Any, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(user_id=user.pk or 0)[:limit])


def notification_unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user_id=user.pk or 0, read_at__isnull=True).count()


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    label: Any
    every: timedelta
    last: Job | None
    next_at: datetime | None
    late: bool  # no run for two periods: is beat running?


def schedule_overview(*, now: datetime | None = None) -> list[ScheduledJob]:
    """Each periodic job beat sends: its last run, its outcome and when it runs next."""
    now = now or timezone.now()
    shown = []
    schedule: dict[str, dict[str, Any]] = settings.CELERY_BEAT_SCHEDULE
    for entry in schedule.values():
        name = str(entry["task"])
        every = timedelta(seconds=float(entry["schedule"]))
        last = Job.objects.filter(name=name, scheduled=True).order_by("-created_at", "-pk").first()
        next_at = (last.started_at or last.created_at) + every if last else None
        late = next_at is not None and now - next_at > every
        shown.append(ScheduledJob(name, job_label(name), every, last, next_at, late))
    return sorted(shown, key=lambda job: str(job.label))


def jobs_failed(*, limit: int = 50) -> list[Job]:
    """Failed runs no retry has been started for, newest first."""
    return list(
        Job.objects.filter(state=Job.State.FAILED, retries__isnull=True)
        .select_related("started_by")
        .order_by("-created_at")[:limit]
    )


def jobs_recent(*, limit: int = 30) -> list[Job]:
    """The long actions people started, newest first."""
    return list(
        Job.objects.filter(scheduled=False)
        .select_related("started_by")
        .order_by("-created_at")[:limit]
    )


def job_for(*, user: Any, pk: int) -> Job:
    """A job its starter may follow, or any job for staff who see the jobs page."""
    job = Job.objects.filter(pk=pk).first()
    if job is None or not (job.started_by_id == user.pk or user.has_perm("core.view_job")):
        raise NotFound()
    return job


def job_latest(*, key: str = "", task: str = "") -> Job | None:
    """The latest run of the job of ``key``, or the latest a person started of ``task`` (what a
    page shows the progress of)."""
    found = Job.objects.filter(key=key) if key else Job.objects.filter(name=task, scheduled=False)
    return found.order_by("-created_at", "-pk").first()


def email_list(*, state: str = "") -> QuerySet[Email]:
    """The outbox for the staff delivery page, newest first: who, what kind, the subject and
    how delivery went; never the message bodies."""
    emails = Email.objects.select_related("user").only(
        "created_at",
        "sent_at",
        "kind",
        "subject",
        "state",
        "attempts",
        "last_error",
        "user__email",
    )
    return emails.filter(state=state) if state else emails


def email_counts() -> dict[str, int]:
    return dict(Email.objects.values_list("state").annotate(count=Count("pk")).order_by())
