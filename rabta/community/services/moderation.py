"""Moderation: trust levels and what each allows, members' flags, hiding and showing posts,
locking and moving discussions, and bans.  Every act is logged for the moderators with its
reason, and the person affected reads the reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rabta.accounts.models import User
from rabta.community import selectors
from rabta.community.models import (
    Ban,
    Category,
    Flag,
    Member,
    ModerationAction,
    Post,
    Thread,
    TrustLevel,
)
from rabta.community.services.guards import reason_clean, refuse_banned
from rabta.community.services.members import member_ensure
from rabta.core.errors import DomainError, ErrorCode, forbidden, invalid
from rabta.core.notifications import notify
from rabta.core.services import audit_record


@dataclass(frozen=True)
class Limits:
    links: int  # web addresses in one post
    mentions: int  # people mentioned in one post
    posts_per_hour: int
    threads_per_day: int


TRUST_LIMITS = {
    TrustLevel.NEW: Limits(links=1, mentions=2, posts_per_hour=5, threads_per_day=2),
    TrustLevel.BASIC: Limits(links=5, mentions=10, posts_per_hour=30, threads_per_day=10),
    TrustLevel.TRUSTED: Limits(links=20, mentions=20, posts_per_hour=120, threads_per_day=50),
}
# What moves a member up by itself: days since joining Rabta, and visible posts, with nothing
# of theirs hidden by a moderator in the last 30 days.
BASIC_AFTER = (2, 3)
TRUSTED_AFTER = (30, 30)
# Members flagging the same post (three different people) hide it until a moderator looks.
FLAGS_TO_HIDE = 3
SYSTEM_HIDE_REASON = gettext_noop("Hidden after flags from members, until a moderator reviews it.")


# --- trust levels ------------------------------------------------------------------------------


def trust_level_refresh(*, member: Member) -> int:
    if member.trust_locked:
        return member.trust_level
    now = timezone.now()
    days = (now - member.user.date_joined).days
    hidden = Post.objects.filter(
        author_id=member.user_id, hidden_at__gte=now - dt.timedelta(days=30)
    ).exists()
    level = TrustLevel.NEW
    if not hidden and days >= BASIC_AFTER[0] and member.posts_count >= BASIC_AFTER[1]:
        level = TrustLevel.BASIC
    if not hidden and days >= TRUSTED_AFTER[0] and member.posts_count >= TRUSTED_AFTER[1]:
        level = TrustLevel.TRUSTED
    if level != member.trust_level:
        member.trust_level = level
        member.save(update_fields=["trust_level", "updated_at"])
    return level


def limits_for(member: Member) -> Limits:
    """What the member's trust level (brought up to date) allows."""
    return TRUST_LIMITS[TrustLevel(trust_level_refresh(member=member))]


def trust_level_set(*, moderator: User, user: User, level: int, reason: str) -> Member:
    if not selectors.is_moderator(moderator):
        raise forbidden()
    if level not in TrustLevel.values:
        raise invalid("level", _("Choose a trust level."))
    reason = reason_clean(reason)
    member = member_ensure(user=user)
    member.trust_level = level
    member.trust_locked = True
    member.save(update_fields=["trust_level", "trust_locked", "updated_at"])
    moderation_log(moderator, "trust", reason, target_user=user, level=level)
    return member


# --- the log -----------------------------------------------------------------------------------


def moderation_log(
    moderator: User | None, action: str, reason: str, **targets: Any
) -> ModerationAction:
    """One entry of the moderators' log, written to the platform's audit log too."""
    details = {k: v for k, v in targets.items() if k not in ("thread", "post", "target_user")}
    entry = ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        reason=reason,
        thread=targets.get("thread"),
        post=targets.get("post"),
        target_user=targets.get("target_user"),
        details=details,
    )
    target = targets.get("post") or targets.get("thread") or targets.get("target_user")
    audit_record(
        actor=moderator, action=f"community.{action}", target=target, reason=reason, **details
    )
    return entry


# --- flags and hiding --------------------------------------------------------------------------


def flag_create(*, user: User, post: Post, reason: str, note: str = "") -> Flag:
    refuse_banned(user)
    if post.author_id == user.pk:
        raise invalid("reason", _("You cannot flag your own post."))
    if post.hidden_at is not None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This post is already hidden."))
    if reason not in dict(Flag._meta.get_field("reason").choices or []):
        raise invalid("reason", _("Choose why you are flagging this post."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                flag = Flag.objects.create(post=post, user=user, reason=reason, note=note[:500])
        except IntegrityError as exc:
            raise DomainError(
                ErrorCode.CONFLICT, _("You have already flagged this post. Thank you.")
            ) from exc
        Post.objects.filter(pk=post.pk).update(flags_open=F("flags_open") + 1)
        post.refresh_from_db(fields=["flags_open", "hidden_at"])
        if post.flags_open >= FLAGS_TO_HIDE and post.hidden_at is None:
            _hide(post, None, SYSTEM_HIDE_REASON, resolve_flags=False)
    return flag


def _hide(post: Post, moderator: User | None, reason: str, *, resolve_flags: bool) -> None:
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(hidden_at=now, hidden_reason=reason)
    post.hidden_at, post.hidden_reason = now, reason
    thread = post.thread
    if post.number == 1:
        Thread.objects.filter(pk=thread.pk).update(hidden_at=now)
    else:
        Thread.objects.filter(pk=thread.pk).update(replies_count=F("replies_count") - 1)
        if thread.solution_id == post.pk:
            Thread.objects.filter(pk=thread.pk).update(solution=None)
    if resolve_flags:
        _flags_resolve(post, moderator, "hidden")
    entry = moderation_log(
        moderator, "hide", reason, thread=thread, post=post, target_user=post.author
    )
    author = post.author
    with translation.override(author.preferred_language):
        shown = _(reason)
    # a post shown again and hidden again is a second hiding the author is told about
    notify(
        author,
        "community.post_hidden",
        post,
        {"title": thread.title, "reason": shown},
        url=reverse("community:thread", args=[thread.pk]) + f"#post-{post.number}",
        key=f"hidden-{entry.pk}",
    )


def _flags_resolve(post: Post, moderator: User | None, outcome: str) -> None:
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator, outcome=outcome
    )
    Post.objects.filter(pk=post.pk).update(flags_open=0)


def post_hide(*, moderator: User, post: Post, reason: str) -> None:
    if not selectors.can_moderate(moderator, post.thread.category):
        raise forbidden()
    reason = reason_clean(reason)
    with transaction.atomic():
        post = (
            Post.objects.select_for_update()
            .select_related("thread", "thread__category", "author")
            .get(pk=post.pk)
        )
        if post.hidden_at is not None and post.hidden_reason != SYSTEM_HIDE_REASON:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This post is already hidden."))
        if post.hidden_at is not None:  # hidden by flags: the moderator confirms it
            Post.objects.filter(pk=post.pk).update(hidden_reason=reason)
            _flags_resolve(post, moderator, "hidden")
            moderation_log(
                moderator, "hide", reason, thread=post.thread, post=post, target_user=post.author
            )
            return
        _hide(post, moderator, reason, resolve_flags=True)


def _reversible_by(actor: User, *, post: Post | None = None, thread: Thread | None = None) -> bool:
    """A chapter lead may undo what a lead or the members' flags did, never what a moderator
    did, and never on their own post."""
    if selectors.is_moderator(actor):
        return True
    if post is not None and post.author_id == actor.pk:
        return False
    last = selectors.last_moderation(post=post, thread=thread)
    return last is None or last.moderator is None or not selectors.is_moderator(last.moderator)


def post_unhide(*, moderator: User, post: Post, reason: str) -> None:
    if not selectors.can_moderate(moderator, post.thread.category) or not _reversible_by(
        moderator, post=post
    ):
        raise forbidden()
    reason = reason_clean(reason)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
        if post.hidden_at is None:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This post is not hidden."))
        Post.objects.filter(pk=post.pk).update(hidden_at=None, hidden_reason="")
        if post.number == 1:
            Thread.objects.filter(pk=post.thread_id).update(hidden_at=None)
        else:
            Thread.objects.filter(pk=post.thread_id).update(replies_count=F("replies_count") + 1)
        _flags_resolve(post, moderator, "dismissed")
        moderation_log(moderator, "unhide", reason, thread=post.thread, post=post)


def flags_dismiss(*, moderator: User, post: Post, reason: str) -> None:
    if (
        not selectors.can_moderate(moderator, post.thread.category)
        or post.author_id == moderator.pk
    ):
        raise forbidden()
    reason = reason_clean(reason)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
        if post.hidden_at is not None and post.hidden_reason == SYSTEM_HIDE_REASON:
            post_unhide(moderator=moderator, post=post, reason=reason)
            return
        _flags_resolve(post, moderator, "dismissed")
        moderation_log(moderator, "dismiss", reason, thread=post.thread, post=post)


# --- discussions -------------------------------------------------------------------------------


def thread_lock_set(*, moderator: User, thread: Thread, locked: bool, reason: str) -> None:
    if not selectors.can_moderate(moderator, thread.category) or (
        not locked and not _reversible_by(moderator, thread=thread)
    ):
        raise forbidden()
    reason = reason_clean(reason)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().select_related("category").get(pk=thread.pk)
        if locked == bool(thread.locked_at):
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                _("This discussion is already locked.")
                if locked
                else _("This discussion is not locked."),
            )
        Thread.objects.filter(pk=thread.pk).update(
            locked_at=timezone.now() if locked else None, lock_reason=reason if locked else ""
        )
        moderation_log(moderator, "lock" if locked else "unlock", reason, thread=thread)


def thread_move(*, moderator: User, thread: Thread, category: Category, reason: str) -> None:
    # Only moderators move: a chapter lead could otherwise carry a thread out of sight.
    if not selectors.is_moderator(moderator):
        raise forbidden()
    reason = reason_clean(reason)
    if category.pk == thread.category_id:
        raise invalid("category", _("The discussion is already in that forum."))
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if category.pk == thread.category_id:
            raise invalid("category", _("The discussion is already in that forum."))
        source = thread.category_id
        Thread.objects.filter(pk=thread.pk).update(category=category)
        Category.objects.filter(pk=source).update(threads_count=F("threads_count") - 1)
        Category.objects.filter(pk=category.pk).update(threads_count=F("threads_count") + 1)
        moderation_log(
            moderator, "move", reason, thread=thread, source=source, destination=category.pk
        )


# --- bans --------------------------------------------------------------------------------------


def user_ban(*, moderator: User, user: User, reason: str, days: int | None) -> Ban:
    if not selectors.is_moderator(moderator):
        raise forbidden()
    if user.pk == moderator.pk or selectors.is_moderator(user):
        raise invalid("user", _("Moderators cannot be banned here; ask an administrator."))
    reason = reason_clean(reason)
    if days is not None and not 1 <= days <= 3650:
        raise invalid("days", _("A ban lasts 1 to 3,650 days, or until lifted."))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one ban at a time
        if selectors.active_ban(user) is not None:
            raise DomainError(ErrorCode.CONFLICT, _("This person is already banned."))
        ban = Ban.objects.create(
            user=user,
            reason=reason,
            until=timezone.now() + dt.timedelta(days=days) if days else None,
            created_by=moderator,
        )
        moderation_log(moderator, "ban", reason, target_user=user, days=days)
        notify(user, "community.banned", ban, {"reason": reason}, url=reverse("community:home"))
    return ban


def ban_lift(*, moderator: User, ban: Ban, reason: str) -> None:
    if not selectors.is_moderator(moderator):
        raise forbidden()
    reason = reason_clean(reason)
    with transaction.atomic():
        if (
            Ban.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(
                lifted_at=timezone.now(), lifted_by=moderator
            )
            != 1
        ):
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This ban was already lifted."))
        moderation_log(moderator, "unban", reason, target_user=ban.user)
