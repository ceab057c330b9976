"""Reads for the moderators: the flag queue, the moderation log and the bans."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from rabta.accounts.models import User
from rabta.community.models import Ban, ModerationAction, Post, Thread


def flagged_posts(*, limit: int = 100) -> list[Post]:
    """The moderators' queue: the most flagged posts first, then the longest waiting."""
    return list(
        Post.objects.filter(flags_open__gt=0)
        .select_related("thread", "thread__category", "author")
        .prefetch_related("flags")
        .order_by("-flags_open", "created_at")[:limit]
    )


def moderation_log(*, limit: int = 50) -> list[ModerationAction]:
    return list(
        ModerationAction.objects.select_related("moderator", "thread", "target_user")[:limit]
    )


def moderation_log_about(*, user: User, limit: int = 30) -> list[ModerationAction]:
    return list(
        ModerationAction.objects.filter(target_user=user).select_related("moderator")[:limit]
    )


def last_moderation(
    *, post: Post | None = None, thread: Thread | None = None
) -> ModerationAction | None:
    """The latest moderation of a post, or of a discussion as a whole (lock, move)."""
    actions = (
        ModerationAction.objects.filter(post=post)
        if post is not None
        else ModerationAction.objects.filter(thread=thread, post__isnull=True)
    )
    return actions.order_by("-at", "-pk").select_related("moderator").first()


def bans_active(*, limit: int = 100) -> list[Ban]:
    return list(
        Ban.objects.filter(lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))
        .select_related("user", "user__community_member")[:limit]
    )


def bans_of(*, user: User, limit: int = 20) -> list[Ban]:
    return list(Ban.objects.filter(user=user)[:limit])
