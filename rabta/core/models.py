from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """Append-only record of privileged actions: who did what to which object, and when.

    Staff reads of personal data, verification decisions, imports, exports and deletions
    all land here.  Rows are never updated or deleted by the application.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class Event(models.Model):
    """The one append-only domain event table.  Services write it in the same transaction as
    the change it describes; the insights rollups are its only reader.  The dimension columns
    are what dashboards cut by, copied at the time of the event, so no dashboard joins back to
    personal rows."""

    kind = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    cohort = models.CharField(max_length=64, blank=True)
    province = models.CharField(max_length=64, blank=True)
    district = models.CharField(max_length=64, blank=True)
    gender = models.CharField(max_length=32, blank=True)
    discipline = models.CharField(max_length=64, blank=True)
    pathway = models.CharField(max_length=64, blank=True)
    country = models.CharField(max_length=2, blank=True)
    sector = models.CharField(max_length=32, blank=True)
    career = models.CharField(max_length=16, blank=True)  # "early" / "experienced"
    # What a stat breaks down by besides the dimensions (a skill, a session, a readiness part)
    # and the amount it sums (US dollars, hours, days).
    item = models.CharField(max_length=200, blank=True)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "at"], name="event_kind_at_idx")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An in-app message in a person's inbox; written only by ``core.notifications.notify``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=48)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # "<kind>:<object>:<extra>": one notice per recipient and key (see core.notifications)
    key = models.CharField(max_length=200, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                "user", "key", condition=~models.Q(key=""), name="notification_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Job(models.Model):
    """One run of a background job: a long action someone started (certificates, an import, an
    export), or a scheduled job's run.  The row is the job's truth: its progress, its outcome
    and its error, whatever the broker does with the message that carries it
    (see ``core.jobs``)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(max_length=120, db_index=True)  # the Celery task's name
    args = models.JSONField(default=list, blank=True)
    scheduled = models.BooleanField(default=False)  # a run of a periodic job
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)  # the outcome, in a line
    result_url = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # one unfinished job per key: a second click joins the first job instead of starting another
    key = models.CharField(max_length=200, blank=True)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["name", "-created_at"], name="job_name_recent_idx")]
        constraints = [
            models.UniqueConstraint(
                "key",
                condition=~models.Q(key="") & models.Q(state__in=["queued", "running"]),
                name="job_one_unfinished_per_key",
            )
        ]
        permissions = [("retry_job", "Can run a failed background job again")]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))
