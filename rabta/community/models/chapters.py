"""Chapters (a country, or a city in it), who is in them, and their events with RSVPs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rabta.core.models import TimeStampedModel

User = settings.AUTH_USER_MODEL


class Chapter(TimeStampedModel):
    """A chapter for a country (``city`` empty) or for a city in it."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=80, blank=True)
    description = models.TextField(_("about the chapter"), max_length=4000, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    members_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["country", "city"]
        constraints = [
            models.UniqueConstraint("country", Lower("city"), name="chapter_place_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    LEAD = "lead", _("Chapter lead")


class MembershipSource(models.TextChoices):
    LOCATION = "location", _("Joined by location")
    MANUAL = "manual", _("Joined")


class ChapterMembership(models.Model):
    """Being in a chapter.  Leaving keeps the row (``left_at``) so joining by location never
    puts someone back who chose to leave."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="chapter_memberships")
    role = models.CharField(
        max_length=8, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    source = models.CharField(max_length=8, choices=MembershipSource.choices)
    # Listed members appear on the chapter page; nobody is listed without choosing it.
    listed = models.BooleanField(_("show me on the chapter page"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("chapter", "user", name="chapter_membership_once")]
        indexes = [models.Index(fields=["user", "left_at"], name="membership_user_idx")]


class EventMode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class EventVisibility(models.TextChoices):
    MEMBERS = "members", _("Chapter members")
    EVERYONE = "everyone", _("Everyone signed in")


class ChapterEvent(TimeStampedModel):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=8000, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    mode = models.CharField(_("where"), max_length=16, choices=EventMode.choices)
    # Shown only to the people going (and the chapter's leads): a meeting link or an address.
    location = models.CharField(_("meeting link or address"), max_length=300)
    starts_at = models.DateTimeField(_("starts"))  # UTC
    time_zone = models.CharField(_("time zone of the event"), max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=60, validators=[MinValueValidator(15), MaxValueValidator(720)]
    )
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    going_count = models.PositiveIntegerField(default=0, editable=False)
    visibility = models.CharField(
        _("who may see it"),
        max_length=16,
        choices=EventVisibility.choices,
        default=EventVisibility.MEMBERS,
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(going_count__lte=models.F("capacity")), name="event_not_overfull"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RsvpStatus(models.TextChoices):
    GOING = "going", _("Going")
    WAITLIST = "waitlist", _("On the waiting list")
    CANCELLED = "cancelled", _("Not going")


class Rsvp(models.Model):
    event = models.ForeignKey(ChapterEvent, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=RsvpStatus.choices)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("event", "user", name="rsvp_once")]
        ordering = ["updated_at", "pk"]
