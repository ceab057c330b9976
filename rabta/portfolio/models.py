"""Portfolios: case studies with their evidence, the public page's settings, proposal and contract
drafts, and the outcome log that tells the council what happened after the programme."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rabta.core.models import TimeStampedModel

TEXT_MAX = 4000  # a case-study field; long enough for a real project, short enough to read


class Portfolio(TimeStampedModel):
    """One per engineer: the headline and overview clients read first, and whether the public
    page is on.  The public address is a random slug, so a page that is off cannot be guessed
    and a page that is on does not reveal the account's id or email."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio"
    )
    slug = models.SlugField(max_length=24, unique=True)
    display_name = models.CharField(_("name shown to clients"), max_length=80)
    headline = models.CharField(_("headline"), max_length=120, blank=True)
    summary = models.TextField(
        _("overview"), blank=True, max_length=3000, validators=[MaxLengthValidator(3000)]
    )
    published = models.BooleanField(_("public page is on"), default=False)
    basic_price_usd = models.PositiveIntegerField(
        _("price of your basic package (USD)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(10_000)],
    )


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    REDACTED = "redacted", _("Public, redacted (client hidden)")
    PRIVATE = "private", _("Private (only you)")


class PortfolioItem(TimeStampedModel):
    """An engineering case study: the problem, the engineer's role, the tools, what was delivered
    and what it achieved.  Under NDA an item is private or shown redacted."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=120)
    client = models.CharField(_("client or employer"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1950)]
    )
    problem = models.TextField(
        _("the problem"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    role = models.TextField(_("your role"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)])
    tools = models.CharField(_("tools and standards"), max_length=300, blank=True)
    delivered = models.TextField(
        _("what you delivered"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    outcome = models.TextField(
        _("measurable outcome"), blank=True, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    pathway = models.CharField(_("pathway"), max_length=60, blank=True)
    skills = models.JSONField(default=list, blank=True)  # ESCO skill ids
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "-created_at"]

    def __str__(self) -> str:
        return self.title


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF")


class Attachment(models.Model):
    """Evidence for a case study.  Stored under a random name; the uploaded name is kept only as
    a display label.  Images are re-encoded (no metadata, no location) and have a thumbnail."""

    item = models.ForeignKey(PortfolioItem, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices)
    file = models.CharField(max_length=120)  # storage name
    thumbnail = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    label = models.CharField(_("caption"), max_length=120, blank=True)
    cleared_for_redacted = models.BooleanField(
        _("this file shows nothing confidential"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class ContractKind(models.TextChoices):
    FIXED = "fixed", _("Fixed price with milestones")
    HOURLY = "hourly", _("Hourly")
    NDA = "nda", _("Non-disclosure agreement")


class Contract(TimeStampedModel):
    """A standard contract filled in with both parties' details; the engineer exports it to PDF
    and both parties sign outside the platform."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contracts"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ContractKind.choices)
    engineer_name = models.CharField(_("your full name"), max_length=120)
    engineer_city = models.CharField(_("your city"), max_length=80)
    client_name = models.CharField(_("client's name or company"), max_length=120)
    client_country = models.CharField(_("client's country"), max_length=80)
    scope = models.TextField(_("scope of work"), validators=[MaxLengthValidator(TEXT_MAX)])
    start_on = models.DateField(_("start date"))
    milestones = models.JSONField(default=list, blank=True)  # [{"title", "amount", "due"}]
    hourly_rate = models.DecimalField(
        _("hourly rate (USD)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    weekly_hours_cap = models.PositiveSmallIntegerField(
        _("weekly hour limit"), null=True, blank=True, validators=[MaxValueValidator(80)]
    )
    platform = models.CharField(_("platform, if any"), max_length=60, blank=True)
    governing_law = models.CharField(_("governing law"), max_length=80, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Proposal(TimeStampedModel):
    """A proposal draft from the builder, kept so a dropped connection loses nothing."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    pathway = models.CharField(max_length=60, blank=True)
    job_post = models.TextField(validators=[MaxLengthValidator(10_000)])
    understanding = models.TextField(validators=[MaxLengthValidator(TEXT_MAX)])
    approach = models.TextField(validators=[MaxLengthValidator(TEXT_MAX)])
    milestone_title = models.CharField(max_length=120, blank=True)
    milestone_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    milestone_days = models.PositiveSmallIntegerField(null=True, blank=True)
    questions = models.TextField(blank=True, validators=[MaxLengthValidator(1000)])
    client_budget = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    item = models.ForeignKey(PortfolioItem, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-updated_at"]


class OutcomeKind(models.TextChoices):
    PROPOSALS = "proposals", _("Proposals sent")
    INTERVIEW = "interview", _("Interview or client call")
    CONTRACT = "contract", _("Contract won")
    EARNING = "earning", _("Payment received")


class OutcomeEntry(models.Model):
    """One line of the outcome log.  Contracts and earnings carry an amount in USD; proposals a
    count.  The first contract is also the profiling engine's first engagement."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_entries"
    )
    kind = models.CharField(_("what happened"), max_length=10, choices=OutcomeKind.choices)
    happened_on = models.DateField(_("date"))
    platform = models.CharField(_("platform"), max_length=60, blank=True)
    pathway = models.CharField(_("pathway"), max_length=60, blank=True)
    count = models.PositiveSmallIntegerField(
        _("how many"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    amount_usd = models.DecimalField(
        _("amount (USD)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1_000_000)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name_plural = "outcome entries"


class OutcomeReminder(models.Model):
    """A reminder to report outcomes, sent once per person and day mark (30, 60, 90)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    day = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "day"], name="outcome_reminder_once")
        ]
