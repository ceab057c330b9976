"""Calls for advisory panels and curriculum reviews, applications, and the panel's workspace."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rabta.accounts.reference import Discipline, Sector
from rabta.core.models import TimeStampedModel

User = settings.AUTH_USER_MODEL


class CallKind(models.TextChoices):
    ADVISORY_PANEL = "advisory_panel", _("Government advisory panel")
    CURRICULUM_REVIEW = "curriculum_review", _("Curriculum review")


class CallStatus(models.TextChoices):
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed: selecting")
    SELECTED = "selected", _("Panel selected")


class Call(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=24, choices=CallKind.choices)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("terms of reference"), max_length=10000)
    body_html = models.TextField(editable=False)
    discipline = models.CharField(
        _("discipline (for a curriculum review)"),
        max_length=16,
        choices=Discipline.choices,
        blank=True,
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("panel seats"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    closes_on = models.DateField(_("applications close on"))
    status = models.CharField(max_length=16, choices=CallStatus.choices, default=CallStatus.OPEN)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    selected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PanelApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SELECTED = "selected", _("Selected for the panel")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PanelApplication(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    statement = models.TextField(_("your expertise for this panel"), max_length=5000)
    statement_html = models.TextField(editable=False)
    status = models.CharField(
        max_length=16,
        choices=PanelApplicationStatus.choices,
        default=PanelApplicationStatus.APPLIED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint("call", "applicant", name="panel_apply_once")]


class PanelDocument(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=160)
    file = models.CharField(max_length=120)  # storage name, random
    filename = models.CharField(max_length=120)  # cleaned, for the download
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class PanelComment(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="comments")
    document = models.ForeignKey(
        PanelDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=5000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
