"""Reads for the community, each scoped to the person asking.  A chapter's forum, its
members-only events, its unlisted members and an event's meeting link are private to the
chapter; a panel's workspace to the panel and the council."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from rabta.accounts.models import User
from rabta.braingain.models import (
    ContributionType,
    Engagement,
    EngagementStatus,
    Mentorship,
    MentorshipSession,
    MentorshipStatus,
    SessionStatus,
    TimeEntry,
)
from rabta.community.models import (
    Ban,
    Call,
    Category,
    Chapter,
    ChapterEvent,
    ChapterMembership,
    EventVisibility,
    Honour,
    HonourStatus,
    Member,
    MembershipRole,
    PanelApplication,
    PanelApplicationStatus,
    PanelDocument,
    Post,
    Rsvp,
    RsvpStatus,
    Subscription,
    Thread,
)
from rabta.core.errors import NotFound

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 50


def is_moderator(user: User) -> bool:
    return user.is_authenticated and user.has_perm("community.moderate_forum")


def manages_chapters(user: User) -> bool:
    return user.is_authenticated and user.has_perm("community.manage_chapters")


def reviews_nominations(user: User) -> bool:
    return user.is_authenticated and user.has_perm("community.review_nominations")


def runs_calls(user: User) -> bool:
    return user.is_authenticated and user.has_perm("community.run_calls")


def active_ban(user: User) -> Ban | None:
    now = timezone.now()
    return (
        Ban.objects.filter(user=user, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .first()
    )


def member_of(user: User) -> Member | None:
    return Member.objects.filter(user=user).first()


# --- chapters ------------------------------------------------------------------------------


def chapter_list() -> QuerySet[Chapter]:
    return Chapter.objects.all()


def memberships_for_user(*, user: User) -> QuerySet[ChapterMembership]:
    return ChapterMembership.objects.filter(user=user, left_at__isnull=True).select_related(
        "chapter"
    )


def membership_of(*, user: User, chapter: Chapter) -> ChapterMembership | None:
    return ChapterMembership.objects.filter(
        user=user, chapter=chapter, left_at__isnull=True
    ).first()


def chapter_get(*, slug: str) -> Chapter:
    chapter = Chapter.objects.filter(slug=slug[:80]).first()
    if chapter is None:
        raise NotFound()
    return chapter


def is_lead(*, user: User, chapter: Chapter) -> bool:
    return ChapterMembership.objects.filter(
        user=user, chapter=chapter, role=MembershipRole.LEAD, left_at__isnull=True
    ).exists()


def chapter_members_listed(*, chapter: Chapter) -> QuerySet[ChapterMembership]:
    """The members who chose to be listed, leads first: anyone signed in sees them (listing is
    each member's choice; nobody is listed by default)."""
    return (
        ChapterMembership.objects.filter(chapter=chapter, left_at__isnull=True, listed=True)
        .select_related("user", "user__community_member")
        .order_by("role", "user__display_name")  # "lead" sorts before "member"
    )


def chapter_leads(*, chapter: Chapter) -> QuerySet[ChapterMembership]:
    return ChapterMembership.objects.filter(
        chapter=chapter, left_at__isnull=True, role=MembershipRole.LEAD
    ).select_related("user")


def events_visible(*, user: User, chapter: Chapter | None = None) -> QuerySet[ChapterEvent]:
    """Events the person may see: everyone's, and members-only ones of their chapters."""
    mine = ChapterMembership.objects.filter(user=user, left_at__isnull=True).values("chapter_id")
    events = ChapterEvent.objects.select_related("chapter")
    if chapter is not None:
        events = events.filter(chapter=chapter)
    if manages_chapters(user):
        return events
    return events.filter(Q(visibility=EventVisibility.EVERYONE) | Q(chapter_id__in=mine))


def event_get_for_user(*, user: User, event_id: int) -> ChapterEvent:
    event = events_visible(user=user).filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    return event


def rsvp_of(*, user: User, event: ChapterEvent) -> Rsvp | None:
    return Rsvp.objects.filter(event=event, user=user).first()


def event_attendees(*, event: ChapterEvent) -> QuerySet[Rsvp]:
    return event.rsvps.filter(status__in=[RsvpStatus.GOING, RsvpStatus.WAITLIST]).select_related(
        "user"
    )


def may_see_location(*, user: User, event: ChapterEvent) -> bool:
    """The meeting link or address: for the people going and those who run the chapter."""
    if manages_chapters(user) or is_lead(user=user, chapter=event.chapter):
        return True
    return Rsvp.objects.filter(event=event, user=user, status=RsvpStatus.GOING).exists()


def chapter_activity(*, user: User, chapter: Chapter, limit: int = 10) -> list[Any]:
    """Recent threads of the chapter's forum (for members) and its coming events."""
    threads: list[Thread] = []
    category = Category.objects.filter(chapter=chapter).first()
    if category is not None and category_readable(user=user, category=category):
        threads = list(
            Thread.objects.filter(category=category, hidden_at__isnull=True)
            .select_related("author")
            .order_by("-last_posted_at")[:limit]
        )
    return threads


# --- forums ------------------------------------------------------------------------------------


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


def is_subscribed(*, user: User, thread: Thread) -> bool:
    return Subscription.objects.filter(user=user, thread=thread).exists()


def watches_category(*, user: User, category: Category) -> bool:
    return Subscription.objects.filter(user=user, category=category).exists()


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


def flagged_posts() -> QuerySet[Post]:
    return (
        Post.objects.filter(flags_open__gt=0)
        .select_related("thread", "thread__category", "author")
        .prefetch_related("flags")
        .order_by("-flags_open", "created_at")
    )


# --- Hall of Fame ----------------------------------------------------------------------------


def honours_published() -> QuerySet[Honour]:
    return Honour.objects.filter(status=HonourStatus.PUBLISHED).select_related(
        "user", "user__contributor_profile"
    )


def honour_public(*, slug: str) -> Honour:
    honour = honours_published().filter(slug=slug[:40]).first()
    if honour is None:
        raise NotFound()
    return honour


def contribution_record(*, user_id: int) -> dict[str, Any]:
    """What a person has given through the platform, from its own records."""
    held = MentorshipSession.objects.filter(
        mentorship__mentor_id=user_id, status=SessionStatus.HELD
    ).aggregate(total=Sum("duration_minutes"))["total"]
    logged = TimeEntry.objects.filter(mentorship__mentor_id=user_id).aggregate(
        total=Sum("minutes")
    )["total"]
    finished = Mentorship.objects.filter(mentor_id=user_id, status=MentorshipStatus.COMPLETED)
    return {
        "hours": round((int(held or 0) + int(logged or 0)) / 60, 1),
        "mentorships": finished.exclude(kind=ContributionType.FYP_SUPERVISION).count(),
        "projects_supervised": finished.filter(kind=ContributionType.FYP_SUPERVISION).count(),
        "engagements": Engagement.objects.filter(
            consultant_id=user_id, status=EngagementStatus.COMPLETED
        ).count(),
        "solutions": Thread.objects.filter(
            solution__author_id=user_id, hidden_at__isnull=True
        ).count(),
        "panels": PanelApplication.objects.filter(
            applicant_id=user_id, status=PanelApplicationStatus.SELECTED
        ).count(),
    }


# --- calls and panels ----------------------------------------------------------------------


def calls_list() -> QuerySet[Call]:
    return Call.objects.all()


def call_get(*, call_id: int) -> Call:
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        raise NotFound()
    return call


def application_of(*, user: User, call: Call) -> PanelApplication | None:
    return PanelApplication.objects.filter(call=call, applicant=user).first()


def on_panel(*, user: User, call: Call) -> bool:
    return PanelApplication.objects.filter(
        call=call, applicant=user, status=PanelApplicationStatus.SELECTED
    ).exists()


def workspace_get_for_user(*, user: User, call_id: int) -> Call:
    """The panel's workspace: its selected members and the council staff who run calls."""
    call = Call.objects.filter(pk=call_id).first()
    if call is None or not (runs_calls(user) or on_panel(user=user, call=call)):
        raise NotFound()
    return call


def document_get_for_user(*, user: User, document_id: int) -> PanelDocument:
    document = PanelDocument.objects.select_related("call").filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    workspace_get_for_user(user=user, call_id=document.call_id)
    return document


def panel_members(*, call: Call) -> QuerySet[PanelApplication]:
    return call.applications.filter(status=PanelApplicationStatus.SELECTED).select_related(
        "applicant", "applicant__contributor_profile"
    )


def call_applications(*, call: Call) -> QuerySet[PanelApplication]:
    """Every application to a call, for the staff who select the panel."""
    return call.applications.select_related("applicant", "applicant__contributor_profile")
