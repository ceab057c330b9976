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


class Delivery(models.TextChoices):
    """How a person hears of one kind of notice (``core.preferences``)."""

    NOW = "now", _("At once by email")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")
    INAPP = "inapp", _("In the inbox only")


class Email(models.Model):
    """One message to one person in the outbox: a notice sent at once, or a digest.  Written in
    the transaction of the change it tells of and sent after commit by ``core.emails``; the
    unique key makes it exactly one message per person, kind and object (or digest period)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will retry")
        GAVE_UP = "gave_up", _("Gave up")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(max_length=48)  # a notice kind's key, or "digest"
    # the notice's key, or "digest:daily:<local date>": one message per person and key
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField(blank=True)
    # files sent with the message, as [{"name", "type", "content"}] (text: a calendar invite)
    attachments = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # the latest attempt began
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="email_state_idx")]
        constraints = [models.UniqueConstraint("user", "key", name="email_once")]

    def __str__(self) -> str:
        return f"{self.kind} to user {self.user_id} ({self.state})"


class NoticePreference(models.Model):
    """A person's own choice for one kind of notice, where it differs from the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(max_length=48)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "kind", name="notice_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


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
    # the person's choice for this kind when the notice was written, and the email that
    # carried it (at once, or in a digest); none while it waits for a digest
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.INAPP)
    email = models.ForeignKey(
        Email, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["user", "delivery"],
                condition=models.Q(email__isnull=True, delivery__in=["daily", "weekly"]),
                name="notification_digest_idx",
            ),
        ]
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
    # what the page that started the job shows of its outcome (counts, the lines refused)
    result = models.JSONField(default=dict, blank=True)
    # a file the job made for its starter alone (an export); deleted a day after
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    # a personal file (a data export) is downloaded once; after that the link answers "gone"
    result_taken_at = models.DateTimeField(null=True, blank=True)
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
    resent_at = models.DateTimeField(null=True, blank=True)  # last sent again by jobs_recover
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
    def label(self) -> object:
        from rabta.core.jobs import job_label

        return job_label(self.name)

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))
