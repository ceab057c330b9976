from __future__ import annotations

from decimal import Decimal
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rabta.core.models import TimeStampedModel


class AllocationPolicy(models.TextChoices):
    FIRST_COME = "first_come", _("First come, first served")
    FAIR = "fair", _("Window, then fair allocation")


class Track(models.TextChoices):
    OPPORTUNITIES = "opportunities", _("Identifying viable engineering freelance opportunities")
    PLATFORMS = "platforms", _("Navigating the international platforms")
    PORTFOLIO = "portfolio", _("Building a credible engineering portfolio")
    FIRST_ENGAGEMENT = "first_engagement", _("Securing the first engagement")
    PROFILING = "profiling", _("Your profiling results")


RESERVED_SLUGS = frozenset({"mine"})


class Cohort(TimeStampedModel):
    """One run of the Freelance Initiative.  ``seats_taken`` counts offers and confirmed seats;
    it changes only through ``rabta.core.locking.capacity_claim`` / ``capacity_release``."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=64, unique=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Karachi")
    seats = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    seats_taken = models.PositiveIntegerField(default=0)
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    policy = models.CharField(
        _("allocation policy"), max_length=16, choices=AllocationPolicy.choices
    )
    # Eligibility: a verified PEC number always qualifies; pending ones only when allowed.
    accept_pending_pec = models.BooleanField(_("accept pending PEC numbers"), default=True)
    offer_days = models.PositiveSmallIntegerField(
        _("days to confirm an offer"), default=3, validators=[MinValueValidator(1)]
    )
    claim_window_hours = models.PositiveSmallIntegerField(
        _("hours to claim a seat freed from the waitlist"),
        default=48,
        validators=[MinValueValidator(1)],
    )
    # Inclusion targets for the fair policy (shares of the seats, 0 to 1).
    target_women_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.300"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    target_early_career_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.400"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    early_career_max_years = models.PositiveSmallIntegerField(default=3)
    province_floors = models.BooleanField(
        _("province floors proportional to applicants"), default=True
    )
    room_cap = models.PositiveIntegerField(
        _("largest webinar room"),
        default=1000,
        validators=[MinValueValidator(10)],
        help_text=_("Participants are split into balanced groups of at most this size."),
    )
    min_attendance_share = models.DecimalField(
        _("share of a session that counts as present"),
        max_digits=3,
        decimal_places=2,
        default=0.75,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    days_required = models.PositiveSmallIntegerField(
        _("days attended for a certificate"),
        default=4,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        permissions = [("run_allocation", "Can run seat allocation")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_taken__lte=models.F("seats")),
                name="cohort_seats_not_oversold",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = {
            "ends_on": self._days_problem(),
            "applications_close_at": self._window_problem(),
            "time_zone": self._time_zone_problem(),
            "seats": self._seats_problem(),
            "slug": self._slug_problem(),
        }
        errors = {name: [problem] for name, problem in problems.items() if problem}
        if errors:
            raise ValidationError(errors)

    def _days_problem(self) -> str:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            return str(_("The last day must not be before the first day."))
        return ""

    def _window_problem(self) -> str:
        opens, closes = self.applications_open_at, self.applications_close_at
        if opens and closes and closes <= opens:
            return str(_("The window must close after it opens."))
        return ""

    def _time_zone_problem(self) -> str:
        if self.time_zone and self.time_zone not in available_timezones():
            return str(_("Choose a time zone such as Asia/Karachi."))
        return ""

    def _slug_problem(self) -> str:
        # "mine" is the participant's own cohorts page (programme/mine/).
        if self.slug in RESERVED_SLUGS:
            return str(_("This address is taken by a page of the site; choose another."))
        return ""

    def _seats_problem(self) -> str:
        if self.pk and self.seats is not None and self.seats < self.seats_taken:
            return str(_("%(n)d seats are already offered or confirmed.") % {"n": self.seats_taken})
        return ""


# What staff may set on a cohort (the seat counter and timestamps are the services' own).
COHORT_EDITABLE = (
    "name",
    "slug",
    "starts_on",
    "ends_on",
    "time_zone",
    "seats",
    "applications_open_at",
    "applications_close_at",
    "policy",
    "accept_pending_pec",
    "offer_days",
    "claim_window_hours",
    "target_women_share",
    "target_early_career_share",
    "early_career_max_years",
    "province_floors",
    "room_cap",
    "min_attendance_share",
    "days_required",
)


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, waiting for allocation")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Seat offered: confirm it")
    CONFIRMED = "confirmed", _("Seat confirmed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Offer expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


HOLDS_SEAT = (ApplicationState.OFFERED, ApplicationState.CONFIRMED)


class EmploymentChoice(models.TextChoices):
    EMPLOYED = "employed", _("Employed, want extra income")
    SELF_EMPLOYED = "self_employed", _("Self-employed or freelancing")
    SEEKING = "seeking", _("Looking for work")
    STUDENT = "student", _("Final-year student or fresh graduate")


class Application(TimeStampedModel):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    state = models.CharField(
        max_length=16, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    idempotency_key = models.CharField(max_length=64, blank=True)
    motivation = models.TextField(
        _("motivation"), max_length=1500, blank=True, validators=[MaxLengthValidator(1500)]
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    employment = models.CharField(
        _("employment"), max_length=16, choices=EmploymentChoice.choices, blank=True
    )
    consent = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    lottery_rank = models.PositiveIntegerField(null=True, blank=True)
    placement_reason = models.CharField(max_length=300, blank=True)
    # Dimensions copied at submission for allocation and composition (no joins to profiles).
    province = models.CharField(max_length=40, blank=True)
    gender = models.CharField(max_length=16, blank=True)
    early_career = models.BooleanField(default=False)
    district = models.CharField(max_length=48, blank=True)
    discipline = models.CharField(max_length=16, blank=True)
    group_number = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("cohort", "user", name="one_application_per_cohort"),
            models.UniqueConstraint(
                "cohort",
                "idempotency_key",
                condition=~models.Q(idempotency_key=""),
                name="application_idempotency_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "state", "submitted_at"], name="app_queue_idx"),
            models.Index(fields=["cohort", "state", "lottery_rank"], name="app_lottery_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.cohort} ({self.state})"


class AllocationRun(models.Model):
    """A fair allocation, dry or committed: its seed and result are kept so anyone can
    re-run it and get the same placement."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="allocation_runs")
    seed = models.BigIntegerField()
    committed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "cohort", condition=models.Q(committed=True), name="one_committed_allocation"
            )
        ]


class LiveSession(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    track = models.CharField(_("track"), max_length=24, choices=Track.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    recording_url = models.URLField(_("recording"), blank=True)
    # Lighter ways through the same session for a weak connection: an audio-only file and the
    # slides (https links; set on the staff session page).
    audio_url = models.URLField(_("audio only"), max_length=500, blank=True)
    slides_url = models.URLField(_("slides (PDF)"), max_length=500, blank=True)
    # The short check that completes an excused absence from the recording:
    # [{"question": "...", "options": ["...", ...], "answer": 0}, ...]; none means no check,
    # and the excuse goes straight to staff review.
    check_questions = models.JSONField(default=list, blank=True)
    # The share of the check's answers that must be right, in percent (66: two of three).
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (percentage right)"),
        default=66,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class JoinLink(models.Model):
    """The webinar link of one participant group for one session."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="links")
    group_number = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint("session", "group_number", name="one_link_per_group")
        ]


class AttendanceSource(models.TextChoices):
    ZOOM = "zoom", "Zoom"
    TEAMS = "teams", "Microsoft Teams"
    RECORDING = "recording", _("Recording and check")
    STAFF = "staff", _("Staff")


class Attendance(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="attendance")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attendance"
    )
    minutes = models.PositiveIntegerField(default=0)
    present = models.BooleanField(default=False)
    source = models.CharField(max_length=16, choices=AttendanceSource.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint("session", "application", name="one_attendance_row")]


class AttendanceImport(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="imports")
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=16, choices=AttendanceSource.choices)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint("session", "sha256", name="attendance_file_once")]


class ExcuseReason(models.TextChoices):
    POWER = "power", _("Power cut (load-shedding)")
    INTERNET = "internet", _("Internet outage")


class ExcuseState(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Excuse(models.Model):
    """An absence reported as caused by an outage, completed from the recording."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="excuses")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="excuses")
    reason = models.CharField(_("reason"), max_length=16, choices=ExcuseReason.choices)
    note = models.CharField(_("what happened (optional)"), max_length=500, blank=True)
    check_score = models.PositiveSmallIntegerField(null=True, blank=True)
    check_passed = models.BooleanField(default=False)
    state = models.CharField(
        max_length=16, choices=ExcuseState.choices, default=ExcuseState.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("session", "application", name="one_excuse_per_session")
        ]


class Certificate(models.Model):
    # A person who deletes their account takes their certificate with them; its code then
    # reads as unknown on the verification page.
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=16, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.code
