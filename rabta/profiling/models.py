"""Career profiling: a person's assessments (skills, experience, tools, digital capabilities,
interests, goals), the results the engine computed from each, reported first engagements that
calibrate the pathway priors, and job postings that measure demand."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rabta.core.models import TimeStampedModel

MAX_EXPERIENCE_CHARS = 20_000
MAX_SKILLS = 60
MAX_TOOLS = 40
MAX_TOOL_CHARS = 80

# the answer options of the digital step, stored as lists of these names
COLLABORATION_TOOLS = (
    "Zoom",
    "Google Meet",
    "Microsoft Teams",
    "Slack",
    "Google Workspace",
    "Microsoft 365",
    "Git / GitHub",
    "Trello, Jira or Asana",
    "Dropbox or OneDrive",
)
FREELANCE_PROFILES = ("Upwork", "Fiverr", "Freelancer.com", "PeoplePerHour", "Toptal", "Guru")
PROFESSIONAL_PROFILES = ("LinkedIn", "GitHub", "Behance", "Personal website")


class AssessmentState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class Step(models.TextChoices):
    SKILLS = "skills", _("Technical skills")
    EXPERIENCE = "experience", _("Experience")
    TOOLS = "tools", _("Tools")
    DIGITAL = "digital", _("Working online")
    INTERESTS = "interests", _("Interests")
    GOALS = "goals", _("Goals")


STEPS = [step.value for step in Step]


class Level(models.IntegerChoices):
    AWARE = 1, _("Aware: I know what it is")
    BASIC = 2, _("Basic: I have done it with help")
    WORKING = 3, _("Working: I do it on my own")
    EXPERT = 4, _("Expert: I teach or review others")


class English(models.IntegerChoices):
    NONE = 0, _("Not yet")
    BASIC = 1, _("Basic")
    GOOD = 2, _("Good")
    FLUENT = 3, _("Fluent")


class Payment(models.TextChoices):
    READY = "ready", _("Yes, I can receive payments from clients abroad")
    UNSURE = "unsure", _("I have an account but have not received from abroad")
    NONE = "none", _("Not yet")


class Internet(models.TextChoices):
    RELIABLE = "reliable", _("Reliable most days")
    PATCHY = "patchy", _("Patchy: drops several times a week")
    POOR = "poor", _("Poor or mobile data only")


class PowerBackup(models.TextChoices):
    NONE = "none", _("None")
    UPS = "ups", _("UPS or inverter")
    SOLAR = "solar", _("Solar with battery")
    GENERATOR = "generator", _("Generator")


class Goal(models.TextChoices):
    FIRST_CLIENT = "first_client", _("Win my first international client")
    SIDE_INCOME = "side_income", _("Earn alongside my job")
    FULL_TIME = "full_time", _("Freelance full time")
    REMOTE_JOB = "remote_job", _("Find a remote engineering job")


def text_fingerprint(text: str) -> str:
    """Which text suggestions were asked for and computed from (``Assessment.suggestions_*``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Assessment(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments"
    )
    number = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(
        max_length=16, choices=AssessmentState.choices, default=AssessmentState.IN_PROGRESS
    )
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.SKILLS)
    completed_steps = models.JSONField(default=list, blank=True)
    experience_text = models.TextField(blank=True, max_length=MAX_EXPERIENCE_CHARS)
    # Skills are suggested from the text by a worker (services.skill_suggestions_compute): when
    # the person asked for the current text's suggestions, until they are stored; and the
    # fingerprint of the text the stored suggestions came from.
    suggestions_asked_at = models.DateTimeField(null=True, blank=True)
    suggestions_text = models.CharField(max_length=64, blank=True)
    tools = models.JSONField(default=list, blank=True)
    english_written = models.PositiveSmallIntegerField(choices=English.choices, null=True)
    english_spoken = models.PositiveSmallIntegerField(choices=English.choices, null=True)
    collaboration_tools = models.JSONField(default=list, blank=True)
    payment = models.CharField(max_length=8, choices=Payment.choices, blank=True)
    online_profiles = models.JSONField(default=list, blank=True)
    internet = models.CharField(max_length=10, choices=Internet.choices, blank=True)
    power_backup = models.CharField(max_length=10, choices=PowerBackup.choices, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(null=True, validators=[MaxValueValidator(80)])
    interests = models.JSONField(default=dict, blank=True)  # item code -> 1..5
    goal = models.CharField(max_length=16, choices=Goal.choices, blank=True)
    target_monthly_usd = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    goal_note = models.CharField(max_length=300, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "number"], name="assessment_number_unique"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="in_progress"),
                name="one_assessment_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.number} of {self.user_id}"


class SkillSource(models.TextChoices):
    PICKED = "picked", _("Picked from the list")
    TEXT = "text", _("Suggested from your text")


class SkillClaim(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="skills")
    skill_id = models.CharField(max_length=36)
    label = models.CharField(max_length=255)
    level = models.PositiveSmallIntegerField(
        choices=Level.choices,
        default=Level.BASIC,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    source = models.CharField(max_length=8, choices=SkillSource.choices, default=SkillSource.PICKED)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "skill_id"], name="skill_claim_unique")
        ]


class SuggestionState(models.TextChoices):
    PENDING = "pending", _("Waiting for you")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not mine")


class SkillSuggestion(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="suggestions")
    skill_id = models.CharField(max_length=36)
    label = models.CharField(max_length=255)
    score = models.FloatField()
    state = models.CharField(
        max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING
    )

    class Meta:
        ordering = ["-score", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "skill_id"], name="skill_suggestion_unique"
            )
        ]


class ProfileResult(models.Model):
    """What the engine concluded from one completed assessment, frozen at that moment so that a
    later re-assessment can show progress against it."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="result")
    computed_at = models.DateTimeField(auto_now=True)
    engine_version = models.CharField(max_length=20)
    readiness = models.FloatField()
    readiness_gaps = models.JSONField(default=list)
    pathways = models.JSONField(default=list)  # ranked, see services.result_compute
    chosen_pathway = models.CharField(max_length=60, blank=True, db_index=True)

    class Meta:
        permissions = [
            ("view_profiling_aggregates", "Can see aggregate profiling results"),
        ]


class EngagementOutcome(TimeStampedModel):
    """A participant's first international engagement: what calibrates the pathway priors."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="first_engagement"
    )
    pathway = models.CharField(max_length=60, db_index=True)
    platform = models.CharField(max_length=60)
    amount_usd = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)],
    )
    won_on = models.DateField()


class PathwayPrior(models.Model):
    """The calibrated demand prior of a pathway and the outcome counts it was computed from."""

    slug = models.CharField(max_length=60, unique=True)
    prior = models.FloatField()
    chosen = models.PositiveIntegerField(default=0)
    won = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class PostingImport(models.Model):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    # the kept upload it was read from: a rerun of its job finds the import done
    upload = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    classified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Posting(models.Model):
    source = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    description = models.TextField(max_length=MAX_EXPERIENCE_CHARS)
    budget_usd = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    posted_on = models.DateField(db_index=True)
    digest = models.CharField(max_length=64, unique=True)  # duplicate detection
    imported_in = models.ForeignKey(
        PostingImport, on_delete=models.SET_NULL, null=True, related_name="postings"
    )
    pathway = models.CharField(max_length=60, blank=True, db_index=True)  # best pathway
    pathway_score = models.FloatField(null=True)
    pathways = models.JSONField(default=list, blank=True)
    occupations = models.JSONField(default=list, blank=True)
    classified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-posted_on", "pk"]
