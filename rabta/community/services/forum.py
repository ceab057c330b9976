"""The forums: starting discussions and replying (once per form, within the member's trust
level), mentions, editing, choosing the answer, watching, and telling the people a post
concerns."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.community import selectors
from rabta.community.models import Category, Member, Post, PostNotice, Subscription, Thread
from rabta.community.presenters import post_url
from rabta.community.services.guards import refuse_banned
from rabta.community.services.members import member_ensure
from rabta.community.services.moderation import Limits, limits_for
from rabta.core.errors import DomainError, ErrorCode, forbidden, invalid
from rabta.core.markdown import link_count, markdown_render, mention_candidates
from rabta.core.notifications import notify
from rabta.core.services import event_record
from rabta.core.tasks import task_enqueue


def _render_body(user: User, body: str, limits: Limits) -> tuple[str, list[int]]:
    body = (body or "").strip()
    if len(body) < 2:
        raise invalid("body", _("Write something first."))
    if len(body) > 20000:
        raise invalid("body", _("A post may be at most 20,000 characters."))
    html, mentioned = markdown_render(body, mentions=_handles_map(body))
    # addresses typed as text and links in any form that rendered (protocol-relative, autolinks)
    links = max(link_count(body), html.count("<a ") - html.count('class="mention"'))
    if links > limits.links:
        raise invalid(
            "body",
            _(
                "At your trust level a post may hold at most %(n)d web addresses. Post more and "
                "the limit rises."
            )
            % {"n": limits.links},
        )
    if len(mentioned) > limits.mentions:
        raise invalid(
            "body",
            _("At your trust level a post may mention at most %(n)d people.")
            % {"n": limits.mentions},
        )
    ids = (
        list(
            Member.objects.filter(_ci_query(mentioned))
            .exclude(user=user)
            .values_list("user_id", flat=True)
        )
        if mentioned
        else []
    )
    return html, sorted(ids)


def _ci_query(handles: set[str]) -> Q:
    query = Q(pk__in=[])
    for handle in handles:
        query |= Q(handle__iexact=handle)
    return query


def _handles_map(source: str) -> dict[str, str]:
    candidates = mention_candidates(source)
    if not candidates:
        return {}
    handles = Member.objects.filter(_ci_query(candidates)).values_list("handle", flat=True)[:50]
    return {h.lower(): reverse("community:member", args=[h]) for h in handles}


def _rate_check(user: User, limits: Limits, *, thread: bool) -> None:
    now = timezone.now()
    recent = Post.objects.filter(author=user, created_at__gte=now - dt.timedelta(hours=1)).count()
    if recent >= limits.posts_per_hour:
        raise DomainError(
            ErrorCode.RATE_LIMITED,
            _(
                "You have posted %(n)d times in the last hour, the most your trust level allows. "
                "Your text is still in the form; post it a little later."
            )
            % {"n": recent},
        )
    if thread:
        today = Thread.objects.filter(
            author=user, created_at__gte=now - dt.timedelta(days=1)
        ).count()
        if today >= limits.threads_per_day:
            raise DomainError(
                ErrorCode.RATE_LIMITED,
                _(
                    "You have started %(n)d discussions today, the most your trust level allows. "
                    "Your text is still in the form; try again tomorrow."
                )
                % {"n": today},
            )


def _nonce(nonce: str) -> str:
    nonce = (nonce or "").strip()[:40]
    return nonce or secrets.token_urlsafe(16)


def _posting_checks(user: User, category: Category, *, thread: bool) -> tuple[Member, Limits]:
    refuse_banned(user)
    if not selectors.category_readable(user=user, category=category):
        raise forbidden(_("Only the chapter's members can post here."))
    member = member_ensure(user=user)
    limits = limits_for(member)
    _rate_check(user, limits, thread=thread)
    return member, limits


def _subscribe(user: User, thread: Thread) -> None:
    Subscription.objects.get_or_create(user=user, thread=thread)


def _posted(member: Member, post: Post) -> None:
    from rabta.community.tasks import post_notify_task

    Member.objects.filter(pk=member.pk).update(posts_count=F("posts_count") + 1)
    category = post.thread.category
    event_record(
        kind="community.posted",
        actor_id=member.user_id,
        subject=post,
        sector=category.sector,
        country=str(category.chapter.country) if category.chapter is not None else "",
    )
    task_enqueue(post_notify_task, post.pk)


def thread_create(
    *, user: User, category: Category, title: str, body: str, nonce: str = ""
) -> Thread:
    nonce = _nonce(nonce)
    earlier = Post.objects.filter(author=user, nonce=nonce).select_related("thread").first()
    if earlier is not None:
        return earlier.thread  # the same form sent twice
    title = " ".join((title or "").split())
    if not 5 <= len(title) <= 160:
        raise invalid("title", _("A title is 5 to 160 characters."))
    member, limits = _posting_checks(user, category, thread=True)
    html, mentioned = _render_body(user, body, limits)
    draft = Post(author=user, body=body.strip(), body_html=html, nonce=nonce, mentioned=mentioned)
    try:
        return _thread_write(member, category, title, draft)
    except IntegrityError:
        # the same form sent twice at the same moment: the first one made the discussion
        earlier = Post.objects.filter(author=user, nonce=nonce).select_related("thread").first()
        if earlier is None:
            raise
        return earlier.thread


def _thread_write(member: Member, category: Category, title: str, draft: Post) -> Thread:
    """The discussion and its opening post ``draft`` (unsaved), counted in its forum."""
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            category=category, author=draft.author, title=title, last_posted_at=now
        )
        draft.thread, draft.number = thread, 1
        draft.save()
        Category.objects.filter(pk=category.pk).update(
            threads_count=F("threads_count") + 1, last_posted_at=now
        )
        _subscribe(draft.author, thread)
        _posted(member, draft)
    return thread


def reply_create(*, user: User, thread: Thread, body: str, nonce: str = "") -> Post:
    nonce = _nonce(nonce)
    earlier = Post.objects.filter(author=user, nonce=nonce).first()
    if earlier is not None:
        return earlier
    moderator = selectors.can_moderate(user, thread.category)
    if thread.locked_at and not moderator:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("This discussion is locked: %(reason)s") % {"reason": thread.lock_reason},
        )
    if thread.hidden_at and not moderator:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This discussion is hidden."))
    member, limits = _posting_checks(user, thread.category, thread=False)
    html, mentioned = _render_body(user, body, limits)
    draft = Post(author=user, body=body.strip(), body_html=html, nonce=nonce, mentioned=mentioned)
    try:
        return _reply_write(member, thread, draft)
    except IntegrityError:
        earlier = Post.objects.filter(author=user, nonce=nonce).first()
        if earlier is None:
            raise
        return earlier  # the same form sent twice at the same moment


def _reply_write(member: Member, thread: Thread, draft: Post) -> Post:
    """Number and save the reply ``draft`` (unsaved) and count it in its discussion."""
    with transaction.atomic():
        # The thread's row lock orders replies: numbers never collide.
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        number = (Post.objects.filter(thread=locked).aggregate(n=Max("number"))["n"] or 0) + 1
        draft.thread, draft.number = locked, number
        draft.save()
        Thread.objects.filter(pk=thread.pk).update(
            replies_count=F("replies_count") + 1, last_posted_at=draft.created_at
        )
        Category.objects.filter(pk=thread.category_id).update(last_posted_at=draft.created_at)
        _posted(member, draft)
    return draft


def post_edit(*, user: User, post: Post, body: str) -> Post:
    if post.author_id != user.pk:
        raise forbidden(_("Only the author can edit a post."))
    if post.hidden_at or post.thread.locked_at:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This post can no longer be edited."))
    refuse_banned(user)
    member = member_ensure(user=user)
    html, mentioned = _render_body(user, body, limits_for(member))
    post.body = body.strip()
    post.body_html = html
    post.mentioned = mentioned
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "mentioned", "edited_at"])
    from rabta.community.tasks import post_notify_task

    # people newly mentioned are told; the ones told before are not told again
    task_enqueue(post_notify_task, post.pk)
    return post


# --- telling people ----------------------------------------------------------------------------


def _reasons(post: Post) -> dict[int, str]:
    """Why each person would be told about the post: a mention wins over watching; the author
    is never told about their own post."""
    reasons: dict[int, str] = {}
    for user_id in selectors.watchers_of(post=post).values_list("user_id", flat=True):
        reasons[user_id] = "watching"
    for user_id in post.mentioned:
        reasons[int(user_id)] = "mention"
    reasons.pop(post.author_id, None)
    return reasons


def _notice_kind(post: Post, reason: str) -> str:
    if reason == "mention":
        return "community.mention"
    return "community.thread" if post.number == 1 else "community.reply"


def post_notify(*, post_id: int) -> int:
    """Tell the people a post concerns, each once: the people it mentions, the thread's
    watchers (for a reply) or the category's (for a new discussion).  Nobody is told about a
    hidden post or one they cannot read.  Returns how many were told now."""
    post = (
        Post.objects.select_related("thread", "thread__category", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or post.hidden_at or post.thread.hidden_at:
        return 0
    thread = post.thread
    reasons = _reasons(post)
    sent = 0
    url = post_url(post)
    thread_url = reverse("community:thread", args=[thread.pk])
    for user in User.objects.filter(pk__in=reasons, is_active=True):
        if not selectors.category_readable(user=user, category=thread.category):
            continue
        reason = reasons[user.pk]
        if reason == "watching" and selectors.unread_notice_about(user=user, url=thread_url):
            # one unread message per discussion is enough to bring them back; recorded, so a
            # later edit of this post does not tell them after all
            PostNotice.objects.get_or_create(post=post, user=user, defaults={"reason": "coalesced"})
            continue
        try:
            with transaction.atomic():
                PostNotice.objects.create(post=post, user=user, reason=reason)
                notify(
                    user,
                    _notice_kind(post, reason),
                    post,
                    {"name": post.author.display_name, "title": thread.title},
                    url=url,
                )
        except IntegrityError:
            continue  # told already
        sent += 1
    return sent


# --- answers and watching ----------------------------------------------------------------------


def solution_set(*, user: User, post: Post, solved: bool) -> None:
    thread = post.thread
    if thread.author_id != user.pk and not selectors.is_moderator(user):
        raise forbidden(_("Only the person who asked can choose the answer."))
    if solved:
        if post.number == 1 or post.hidden_at:
            raise invalid("post", _("Choose a visible reply as the answer."))
        Thread.objects.filter(pk=thread.pk).update(solution=post)
    else:
        Thread.objects.filter(pk=thread.pk).update(solution=None)


def subscription_set(*, user: User, thread: Thread, on: bool) -> None:
    if on:
        _subscribe(user, thread)
    else:
        Subscription.objects.filter(user=user, thread=thread).delete()


def category_watch_set(*, user: User, category: Category, on: bool) -> None:
    if on:
        Subscription.objects.get_or_create(user=user, category=category)
    else:
        Subscription.objects.filter(user=user, category=category).delete()
