"""Reads about chapters and their events.  A chapter's members-only events, its unlisted
members and an event's meeting link are private to the chapter."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from rabta.accounts.models import User
from rabta.community.models import (
    Category,
    Chapter,
    ChapterEvent,
    ChapterMembership,
    EventVisibility,
    MembershipRole,
    Rsvp,
    RsvpStatus,
    Thread,
)
from rabta.community.selectors.access import manages_chapters
from rabta.community.selectors.forum import category_readable
from rabta.core.errors import NotFound


def chapter_list() -> QuerySet[Chapter]:
    return Chapter.objects.all()


def memberships_for_user(*, user: User) -> QuerySet[ChapterMembership]:
    return ChapterMembership.objects.filter(user=user, left_at__isnull=True).select_related(
        "chapter"
    )


def memberships_listed(*, user: User) -> QuerySet[ChapterMembership]:
    """The chapters a person chose to be shown in (what their member page lists)."""
    return memberships_for_user(user=user).filter(listed=True)


def chapter_ids_of(*, user: User) -> set[int]:
    return set(memberships_for_user(user=user).values_list("chapter_id", flat=True))


def membership_of(*, user: User, chapter: Chapter) -> ChapterMembership | None:
    return ChapterMembership.objects.filter(
        user=user, chapter=chapter, left_at__isnull=True
    ).first()


def chapter_get(*, slug: str) -> Chapter:
    chapter = Chapter.objects.filter(slug=slug[:80]).first()
    if chapter is None:
        raise NotFound()
    return chapter


def chapter_category(*, chapter: Chapter) -> Category | None:
    """The chapter's own forum."""
    return Category.objects.filter(chapter=chapter).first()


def is_lead(*, user: User, chapter: Chapter) -> bool:
    return ChapterMembership.objects.filter(
        user=user, chapter=chapter, role=MembershipRole.LEAD, left_at__isnull=True
    ).exists()


def runs_chapter(*, user: User, chapter: Chapter) -> bool:
    """The council's chapter managers and the chapter's own leads plan and cancel its events."""
    return manages_chapters(user) or is_lead(user=user, chapter=chapter)


def chapter_members_listed(*, chapter: Chapter, limit: int = 200) -> QuerySet[ChapterMembership]:
    """The members who chose to be listed, leads first: anyone signed in sees them (listing is
    each member's choice; nobody is listed by default)."""
    return (
        ChapterMembership.objects.filter(chapter=chapter, left_at__isnull=True, listed=True)
        .select_related("user", "user__community_member")
        .order_by("role", "user__display_name")[:limit]  # "lead" sorts before "member"
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


def events_coming(*, user: User, limit: int = 8) -> QuerySet[ChapterEvent]:
    """The next events the person may see, cancelled ones left out (the community's hub)."""
    return (
        events_visible(user=user)
        .filter(starts_at__gte=timezone.now(), cancelled_at__isnull=True)
        .order_by("starts_at")[:limit]
    )


def chapter_events_recent(
    *, user: User, chapter: Chapter, limit: int = 20
) -> QuerySet[ChapterEvent]:
    """A chapter's events from yesterday on (a chapter's page), cancelled ones included."""
    return (
        events_visible(user=user, chapter=chapter)
        .filter(starts_at__gte=timezone.now() - dt.timedelta(days=1))
        .order_by("starts_at")[:limit]
    )


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


def chapter_activity(*, user: User, chapter: Chapter, limit: int = 10) -> list[Thread]:
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
