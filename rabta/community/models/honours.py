"""The Hall of Fame: nominations and the honours the council offers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the council")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not accepted")


class Nomination(models.Model):
    nominee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="nominations")
    nominator = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    citation = models.TextField(_("citation"), max_length=3000)
    citation_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=16, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "nominee",
                "nominator",
                condition=Q(status="submitted"),
                name="nomination_open_once",
            )
        ]


class HonourStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting", _("Waiting for the engineer's consent")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined by the engineer")
    WITHDRAWN = "withdrawn", _("Withdrawn by the council")


class Honour(models.Model):
    """A place in the Hall of Fame.  It is published only when the engineer agrees."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="honours")
    nomination = models.OneToOneField(
        Nomination, null=True, on_delete=models.SET_NULL, related_name="honour"
    )
    year = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=40, unique=True)
    citation = models.TextField(max_length=3000)
    citation_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=16, choices=HonourStatus.choices, default=HonourStatus.AWAITING_CONSENT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "user",
                "year",
                condition=~Q(status__in=["declined", "withdrawn"]),
                name="honour_once_a_year",
            )
        ]
