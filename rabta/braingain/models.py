"""Brain Gain: asks from seekers, requests to contributors, matching rounds, mentorships (and
supervision, research guidance, advising), and consultancy engagements.

Every status column is changed only through the state machines in ``states.py``, which check
the actor's part in the object and write the audit log."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rabta.accounts.models import Institution, User
from rabta.accounts.reference import ContributionType, Language, Sector
from rabta.core.models import TimeStampedModel

MAX_ASK_SKILLS = 10
TEXT_MAX = 4000


class AskMode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person in Pakistan")
    HYBRID = "hybrid", _("Online, with an optional visit")


class AskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status of an ask", "Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class Ask(TimeStampedModel):
    """A need posted by an engineer or an institution, with its terms of reference.  An ask of
    kind consultancy is a project in the marketplace: contributors send proposals."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="asks")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="asks"
    )
    kind = models.CharField(_("kind of help"), max_length=24, choices=ContributionType.choices)
    title = models.CharField(_("title"), max_length=160)
    goal = models.TextField(_("goal"), max_length=TEXT_MAX)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    skills = models.JSONField(_("skills"), default=list)
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration in weeks"), validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("effort in hours a month"), validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    mode = models.CharField(_("where"), max_length=16, choices=AskMode.choices)
    city = models.CharField(_("city (for in-person work)"), max_length=80, blank=True)
    deadline = models.DateField(_("needed by"))
    budget_usd = models.DecimalField(
        _("budget (USD)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(max_length=16, choices=AskStatus.choices, default=AskStatus.OPEN)
    matched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"], name="ask_kind_status_idx")]
        permissions = [
            ("run_matching_round", "Can run Brain Gain matching rounds"),
            ("view_programme_report", "Can see Brain Gain programme reports and all asks"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_project(self) -> bool:
        return self.kind == ContributionType.CONSULTANCY


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("No answer in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RequestSource(models.TextChoices):
    SUGGESTION = "suggestion", _("Chosen from the suggestions")
    NEXT = "next", _("Moved on to the next suggestion")
    ROUND = "round", _("Matching round")


class MatchRequest(models.Model):
    """A request to one contributor about one ask.  One at a time per ask, answered by a
    deadline; when it lapses or is declined, the ask moves on to the next suggestion."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="requests")
    contributor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="match_requests")
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    source = models.CharField(max_length=16, choices=RequestSource.choices)
    score = models.FloatField()
    parts = models.JSONField(default=dict)
    matched_skills = models.JSONField(default=list)
    message = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    respond_by = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "contributor"], name="request_once_per_ask"),
            models.UniqueConstraint(
                fields=["ask"],
                condition=Q(status="pending"),
                name="request_one_pending_per_ask",
            ),
        ]
        indexes = [models.Index(fields=["status", "respond_by"], name="request_due_idx")]

    def __str__(self) -> str:
        return f"request {self.pk} ({self.status})"


class MatchingRound(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SOLVED = "solved", _("Solved")
        PUBLISHED = "published", _("Published")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of help"), max_length=24, choices=ContributionType.choices)
    fairness = models.PositiveSmallIntegerField(
        _("load spreading"),
        default=50,
        validators=[MaxValueValidator(1000)],
        help_text=_("Cost points per place a contributor already fills (0 = fit only)."),
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    summary = models.JSONField(default=dict, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class RoundConstraint(models.Model):
    class Kind(models.TextChoices):
        PIN = "pin", _("Pin")
        FORBID = "forbid", _("Forbid")

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="constraints")
    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="+")
    contributor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "ask", "contributor"], name="round_constraint_once"
            )
        ]


class RoundAssignment(models.Model):
    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="assignments")
    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="+")
    contributor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    parts = models.JSONField(default=dict)
    matched_skills = models.JSONField(default=list)
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "ask"], name="round_assignment_once")
        ]


# --- mentorships and supervision -------------------------------------------------------------


class MentorshipStatus(models.TextChoices):
    AGREEING = "agreeing", _("Agreeing the terms")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended early")


class Mentorship(TimeStampedModel):
    """Mentoring, supervision, research guidance, advising or review: an agreement signed by
    both, sessions, notes and feedback, an early fit check, hours and a certificate."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="mentorships")
    request = models.OneToOneField(
        MatchRequest, on_delete=models.CASCADE, related_name="mentorship"
    )
    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentoring")
    mentee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentored")
    kind = models.CharField(max_length=24, choices=ContributionType.choices)
    status = models.CharField(
        max_length=16, choices=MentorshipStatus.choices, default=MentorshipStatus.AGREEING
    )
    goals = models.TextField(_("goals"), max_length=TEXT_MAX, blank=True)
    schedule = models.TextField(_("schedule"), max_length=TEXT_MAX, blank=True)
    expectations = models.TextField(_("expectations"), max_length=TEXT_MAX, blank=True)
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    mentee_signed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    fit_check_due = models.DateField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    certificate_code = models.CharField(max_length=12, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.ask}"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MentorshipSession(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    agenda = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    notes = models.TextField(max_length=TEXT_MAX, blank=True)
    # https only; Zoom, Teams, Meet and Jitsi are recognised by host, others allowed with a warning
    meeting_url = models.URLField(_("meeting link"), max_length=500, blank=True)
    # the invite's SEQUENCE (RFC 5545): raised on every reschedule and on cancelling
    sequence = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]


class SessionFeedback(models.Model):
    session = models.ForeignKey(
        MentorshipSession, on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "author"], name="feedback_once")]


class FitAnswer(models.TextChoices):
    GOOD = "good", _("Yes, this is working")
    UNSURE = "unsure", _("Not sure yet")
    POOR = "poor", _("No, I would like a different match")


class FitCheck(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="fit_checks")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=8, choices=FitAnswer.choices)
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "author"], name="fit_check_once")
        ]


class TimeEntry(models.Model):
    """Hours given outside sessions (reviewing a thesis chapter, preparing a curriculum note)."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="time_entries"
    )
    worked_on = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-worked_on", "-id"]


# --- consultancy -------------------------------------------------------------------------------


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWARDED = "awarded", _("Awarded")
    NOT_SELECTED = "not_selected", _("Not selected")


class Proposal(TimeStampedModel):
    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="proposals")
    contributor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bg_proposals")
    price_usd = models.DecimalField(
        max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )
    plan = models.TextField(max_length=TEXT_MAX)
    milestones = models.JSONField(default=list)
    status = models.CharField(
        max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "contributor"], name="proposal_once_per_ask")
        ]


class EngagementStatus(models.TextChoices):
    CONTRACTING = "contracting", _("Signing the contract")
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Engagement(TimeStampedModel):
    ask = models.OneToOneField(Ask, on_delete=models.CASCADE, related_name="engagement")
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="engagement")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="client_engagements")
    consultant = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consultant_engagements"
    )
    price_usd = models.DecimalField(max_digits=9, decimal_places=2)
    contract_text = models.TextField()
    status = models.CharField(
        max_length=16, choices=EngagementStatus.choices, default=EngagementStatus.CONTRACTING
    )
    client_signed_at = models.DateTimeField(null=True, blank=True)
    consultant_signed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class MilestoneStatus(models.TextChoices):
    OPEN = "open", _("To do")
    SUBMITTED = "submitted", _("Delivered, awaiting review")
    REVISION = "revision", _("Changes requested")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Not paid")
    INVOICED = "invoiced", _("Invoiced")
    PAID = "paid", _("Paid")


class Milestone(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=160)
    amount_usd = models.DecimalField(max_digits=9, decimal_places=2)
    days = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=16, choices=MilestoneStatus.choices, default=MilestoneStatus.OPEN
    )
    payment_status = models.CharField(
        max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    payment_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "position"], name="milestone_position")
        ]


class MilestoneMeeting(models.Model):
    """A call between client and consultant about one milestone, with a link and an invite."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    agenda = models.CharField(max_length=300, blank=True)
    meeting_url = models.URLField(_("meeting link"), max_length=500, blank=True)
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    sequence = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]


class Deliverable(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="deliverables")
    note = models.TextField(max_length=TEXT_MAX)
    link = models.URLField(max_length=500, blank=True)
    review_note = models.TextField(max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Rating(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="ratings")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["engagement", "author"], name="rating_once")]


class CalendarFeed(models.Model):
    """The secret address of a person's Brain Gain meetings for calendar apps (which cannot
    sign in).  Resetting it gives a new secret: the old address stops working at once."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="meeting_feed")
    secret = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)


# --- conversations ---------------------------------------------------------------------------


class Conversation(models.Model):
    """The private thread of one match: a mentorship (or supervision, research guidance,
    advising), a consultancy engagement, or an accepted request.  Exactly one is set; nobody
    can start a conversation with a stranger."""

    mentorship = models.OneToOneField(
        Mentorship, null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )
    engagement = models.OneToOneField(
        Engagement, null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )
    request = models.OneToOneField(
        MatchRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )
    subject = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # set while a report is open: only then may staff read the thread (audited)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(mentorship__isnull=False, engagement__isnull=True, request__isnull=True)
                    | Q(mentorship__isnull=True, engagement__isnull=False, request__isnull=True)
                    | Q(mentorship__isnull=True, engagement__isnull=True, request__isnull=False)
                ),
                name="conversation_one_match",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class ConversationMember(models.Model):
    """A party to a conversation; ``last_read_at`` is their read receipt."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="conversations")
    role = models.CharField(max_length=20)
    last_read_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conversation_member")
        ]


MESSAGE_MAX = 5000


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=MESSAGE_MAX)
    body_html = models.TextField()  # rendered once, through the sanitiser
    attachment = models.FileField(upload_to="conversations/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_thread")]


class MessageReport(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="message_report_once")
        ]
