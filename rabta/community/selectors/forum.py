"""Reads about the forums.  A chapter's forum is readable by its members (and the moderators);
a hidden discussion by its author and the people who may moderate it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rabta.accounts.models import User
from rabta.community.models import (
    Category,
    ChapterMembership,
    MembershipRole,
    Post,
    Subscription,
    Thread,
)
from rabta.community.selectors.access import is_moderator
from rabta.core.errors import NotFound
from rabta.core.models import Notification

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 50


def _readable_categories(user: User) -> QuerySet[Category]:
    if is_moderator(user):
        return Category.objects.all()
    mine = ChapterMembership.objects.filter(user=user, left_at__isnull=True).values("chapter_id")
    return Category.objects.filter(Q(chapter__isnull=True) | Q(chapter_id__in=mine))


def category_readable(*, user: User, category: Category) -> bool:
    return _readable_categories(user).filter(pk=category.pk).exists()


def categories_for_user(*, user: User) -> QuerySet[Category]:
    return _readable_categories(user).select_related("chapter")


def category_get_for_user(*, user: User, slug: str) -> Category:
    category = _readable_categories(user).filter(slug=slug[:80]).first()
    if category is None:
        raise NotFound()
    return category


def move_targets(*, thread: Thread) -> QuerySet[Category]:
    """The forums a moderator may move a discussion to: every other one."""
    return Category.objects.exclude(pk=thread.category_id)


def category_get(*, category_id: int) -> Category:
    """A forum by number, for a moderator moving a discussion (moderators read every forum)."""
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise NotFound()
    return category


def can_moderate(user: User, category: Category) -> bool:
    """Moderators everywhere; a chapter's leads in their chapter's forum."""
    if is_moderator(user):
        return True
    return bool(
        category.chapter_id
        and ChapterMembership.objects.filter(
            chapter_id=category.chapter_id,
            user=user,
            role=MembershipRole.LEAD,
            left_at__isnull=True,
        ).exists()
    )


def threads_in(*, user: User, category: Category) -> QuerySet[Thread]:
    threads = Thread.objects.filter(category=category).select_related("author")
    if not can_moderate(user, category):
        threads = threads.filter(Q(hidden_at__isnull=True) | Q(author=user))
    return threads.order_by("-last_posted_at", "-pk")


def thread_get_for_user(*, user: User, thread_id: int) -> Thread:
    thread = (
        Thread.objects.select_related("category", "category__chapter", "author")
        .filter(pk=thread_id, category__in=_readable_categories(user))
        .first()
    )
    if thread is None or (
        thread.hidden_at and thread.author_id != user.pk and not can_moderate(user, thread.category)
    ):
        raise NotFound()
    return thread


def thread_posts(*, thread: Thread) -> QuerySet[Post]:
    """Every post of the thread with what its row shows (author, handle, trust level), in one
    query; the view pages it and decides what a hidden post shows to whom."""
    return Post.objects.filter(thread=thread).select_related("author", "author__community_member")


def post_get_for_user(*, user: User, post_id: int) -> Post:
    post = (
        Post.objects.select_related("thread", "thread__category", "author")
        .filter(pk=post_id, thread__category__in=_readable_categories(user))
        .first()
    )
    if post is None:
        raise NotFound()
    # a hidden discussion is out of reach as a whole, by its posts' numbers too
    thread_get_for_user(user=user, thread_id=post.thread_id)
    return post


def post_get_for_author(*, user: User, post_id: int) -> Post:
    """A post its author may edit: anyone else finds nothing."""
    post = post_get_for_user(user=user, post_id=post_id)
    if post.author_id != user.pk:
        raise NotFound()
    return post


def posts_by(*, user: User, author: User, limit: int = 10) -> list[Post]:
    """The author's latest visible posts in the forums ``user`` may read (a member page)."""
    return list(
        Post.objects.filter(
            author=author,
            hidden_at__isnull=True,
            thread__hidden_at__isnull=True,
            thread__category__in=categories_for_user(user=user),
        )
        .select_related("thread")
        .order_by("-created_at")[:limit]
    )


def is_subscribed(*, user: User, thread: Thread) -> bool:
    return Subscription.objects.filter(user=user, thread=thread).exists()


def watches_category(*, user: User, category: Category) -> bool:
    return Subscription.objects.filter(user=user, category=category).exists()


def watchers_of(*, post: Post) -> QuerySet[Subscription]:
    """Who watches what a post adds to: the forum for a new discussion, else the discussion."""
    if post.number == 1:
        return Subscription.objects.filter(category=post.thread.category)
    return Subscription.objects.filter(thread=post.thread)


def unread_notice_about(*, user: User, url: str) -> bool:
    """Whether the person has an unread notice pointing into ``url`` (a discussion's page):
    one is enough to bring them back."""
    return Notification.objects.filter(
        user=user, read_at__isnull=True, url__startswith=url
    ).exists()


def search(*, user: User, query: str, limit: int = 30) -> QuerySet[Post]:
    """Visible posts containing every word of the query, newest first.  On PostgreSQL this is
    full-text search (stemmed, so "panels" finds "panel"); elsewhere a substring match per
    word."""
    from django.db import connection

    words = [w for w in query.split() if w][:8]
    posts = Post.objects.filter(
        thread__category__in=_readable_categories(user),
        hidden_at__isnull=True,
        thread__hidden_at__isnull=True,
    ).select_related("thread", "thread__category", "author")
    if not words:
        return posts.none()
    # A discussion's title belongs to its opening post, so a title match lists it once.
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        text = SearchQuery(" ".join(words), search_type="websearch", config="english")
        return (
            posts.annotate(
                body_vector=SearchVector("body", config="english"),
                title_vector=SearchVector("thread__title", config="english"),
            )
            .filter(Q(body_vector=text) | Q(number=1, title_vector=text))
            .order_by("-created_at")[:limit]
        )
    for word in words:
        posts = posts.filter(Q(body__icontains=word) | Q(number=1, thread__title__icontains=word))
    return posts.order_by("-created_at")[:limit]
