"""Moderation: members' flags, the moderators' log and bans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rabta.community.models.forum import Post, Thread

User = settings.AUTH_USER_MODEL


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or harassing")
    OFF_TOPIC = "off_topic", _("Off topic")
    PRIVATE = "private", _("Shares someone's private information")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = models.CharField(_("note for the moderators"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=16, blank=True)  # "hidden" / "dismissed"

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint("post", "user", name="flag_once")]


class ModerationAction(models.Model):
    """The forum's audit trail, readable by moderators: every hide, lock, move and ban with its
    reason.  (Each is also written to the platform's audit log.)"""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    moderator = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16)
    reason = models.CharField(max_length=300)
    thread = models.ForeignKey(Thread, null=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, null=True, on_delete=models.SET_NULL, related_name="+")
    target_user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]


class Ban(models.Model):
    """A moderator's ban from posting, flagging and RSVPing; lifted or run out, it stays as
    history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="community_bans")
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateTimeField(_("until"), null=True, blank=True)  # empty: until lifted
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
