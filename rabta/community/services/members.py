"""Members: a person's community identity (handle), and their chapters: joining by where they
live, joining and leaving by hand, being listed, and being made a lead."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rabta.accounts.models import ContributorProfile, EngineerProfile, User
from rabta.accounts.reference import districts_by_code
from rabta.community import selectors
from rabta.community.models import (
    Chapter,
    ChapterEvent,
    ChapterMembership,
    Member,
    MembershipRole,
    MembershipSource,
    RsvpStatus,
)
from rabta.community.services.chapters import rsvp_set
from rabta.community.services.guards import refuse_banned
from rabta.core.errors import DomainError, ErrorCode, forbidden, invalid
from rabta.core.notifications import notify
from rabta.core.services import audit_record, event_record


def member_ensure(*, user: User) -> Member:
    """The person's community identity, made on first use with a handle from their name."""
    member = Member.objects.filter(user=user).first()
    if member is not None:
        return member
    base = (slugify(user.display_name) or "member")[:24].strip("-") or "member"
    if len(base) < 2:
        base = f"member-{base}"
    for attempt in range(50):
        handle = base if attempt == 0 else f"{base}-{attempt + 1}"
        if attempt > 10:
            handle = f"{base[:20]}-{secrets.token_hex(3)}"
        try:
            with transaction.atomic():
                return Member.objects.create(user=user, handle=handle)
        except IntegrityError:
            existing = Member.objects.filter(user=user).first()
            if existing is not None:
                return existing
    raise RuntimeError("no free handle")  # pragma: no cover - 50 collisions in a row


def handle_change(*, user: User, handle: str) -> Member:
    refuse_banned(user)
    member = member_ensure(user=user)
    handle = (handle or "").strip().lstrip("@")
    if not (2 <= len(handle) <= 30) or slugify(handle) != handle.lower() or "--" in handle:
        raise invalid(
            "handle", _("A handle is 2 to 30 letters, digits and dashes, such as imran-q.")
        )
    if Member.objects.filter(handle__iexact=handle).exclude(pk=member.pk).exists():
        raise invalid("handle", _("Someone already uses that handle."))
    member.handle = handle
    member.save(update_fields=["handle", "updated_at"])
    return member


# --- joining by location -------------------------------------------------------------------


def _location_of(user: User) -> tuple[str, str] | None:
    """(country code, city) where the person lives: a contributor's profile, or an engineer's
    district in Pakistan (its name, so "Karachi East" finds the Karachi chapter)."""
    profile = ContributorProfile.objects.filter(user=user).only("country", "city").first()
    if profile is not None:
        return str(profile.country), profile.city
    engineer = EngineerProfile.objects.filter(user=user).only("district").first()
    if engineer is not None:
        district = districts_by_code().get(engineer.district)
        return "PK", district.name if district else ""
    return None


def _same_city(place: str, chapter_city: str) -> bool:
    """ "Karachi East" is in Karachi; "Bathgate" is not in Bath."""
    place, chapter_city = place.strip().lower(), chapter_city.strip().lower()
    return bool(place) and (place == chapter_city or place.startswith(chapter_city + " "))


def _chapters_for_place(country: str, city: str) -> list[Chapter]:
    chapters = []
    for chapter in Chapter.objects.filter(country=country):
        if not chapter.city or _same_city(city, chapter.city):
            chapters.append(chapter)
    return chapters


def _membership_add(chapter: Chapter, user: User, source: str, *, listed: bool = False) -> bool:
    """Join (or rejoin) a chapter; True when the person was not a member before."""
    membership = (
        ChapterMembership.objects.select_for_update().filter(chapter=chapter, user=user).first()
    )
    if membership is not None and membership.left_at is None:
        return False
    if membership is None:
        try:
            with transaction.atomic():
                ChapterMembership.objects.create(
                    chapter=chapter, user=user, source=source, listed=listed
                )
        except IntegrityError:
            return False  # joined at the same moment by another request
    else:
        membership.left_at = None
        membership.source = source
        membership.role = MembershipRole.MEMBER
        membership.listed = listed
        membership.save(update_fields=["left_at", "source", "role", "listed"])
    Chapter.objects.filter(pk=chapter.pk).update(members_count=F("members_count") + 1)
    event_record(
        kind="community.chapter_joined", actor_id=user.pk, subject=chapter, country=chapter.country
    )
    return True


def chapters_autojoin(*, user: User) -> list[Chapter]:
    """Join the person's country and city chapters, except ones they joined and left."""
    place = _location_of(user)
    if place is None:
        return []
    joined = []
    with transaction.atomic():
        left = set(ChapterMembership.objects.filter(user=user).values_list("chapter_id", flat=True))
        for chapter in _chapters_for_place(*place):
            if chapter.pk not in left and _membership_add(chapter, user, MembershipSource.LOCATION):
                joined.append(chapter)
    return joined


def _people_living_in(chapter: Chapter) -> set[int]:
    contributors = ContributorProfile.objects.filter(country=chapter.country)
    if chapter.city:
        contributors = contributors.filter(city__istartswith=chapter.city)
    user_ids = {
        user_id
        for user_id, city in contributors.values_list("user_id", "city")
        if not chapter.city or _same_city(city, chapter.city)
    }
    if str(chapter.country) == "PK":
        codes = [
            d.code
            for d in districts_by_code().values()
            if not chapter.city or _same_city(d.name, chapter.city)
        ]
        user_ids |= set(
            EngineerProfile.objects.filter(district__in=codes).values_list("user_id", flat=True)
        )
    return user_ids


def chapter_autojoin_all(*, chapter_id: int) -> int:
    """Everyone who lives in a new chapter's place joins it (a task after the chapter opens)."""
    chapter = Chapter.objects.get(pk=chapter_id)
    user_ids = _people_living_in(chapter)
    known = set(ChapterMembership.objects.filter(chapter=chapter).values_list("user_id", flat=True))
    fresh = sorted(user_ids - known)
    with transaction.atomic():
        ChapterMembership.objects.bulk_create(
            [
                ChapterMembership(chapter=chapter, user_id=uid, source=MembershipSource.LOCATION)
                for uid in fresh
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        count = ChapterMembership.objects.filter(chapter=chapter, left_at__isnull=True).count()
        Chapter.objects.filter(pk=chapter.pk).update(members_count=count)
    return len(fresh)


# --- joining, leaving and leading by hand --------------------------------------------------


def chapter_join(*, user: User, chapter: Chapter, listed: bool = False) -> None:
    with transaction.atomic():
        if not _membership_add(chapter, user, MembershipSource.MANUAL, listed=listed):
            raise DomainError(ErrorCode.CONFLICT, _("You are already a member of this chapter."))


def chapter_leave(*, user: User, chapter: Chapter) -> None:
    with transaction.atomic():
        membership = (
            ChapterMembership.objects.select_for_update()
            .filter(chapter=chapter, user=user, left_at__isnull=True)
            .first()
        )
        if membership is None:
            raise DomainError(ErrorCode.CONFLICT, _("You are not a member of this chapter."))
        membership.left_at = timezone.now()
        membership.role = MembershipRole.MEMBER
        membership.listed = False
        membership.save(update_fields=["left_at", "role", "listed"])
        Chapter.objects.filter(pk=chapter.pk).update(members_count=F("members_count") - 1)
        # places taken at the chapter's members-only events go to the next people waiting
        for event in ChapterEvent.objects.filter(
            chapter=chapter,
            visibility="members",
            cancelled_at__isnull=True,
            starts_at__gt=timezone.now(),
            rsvps__user=user,
            rsvps__status__in=[RsvpStatus.GOING, RsvpStatus.WAITLIST],
        ):
            rsvp_set(user=user, event=event, going=False, leaving=True)


def chapter_listing_set(*, user: User, chapter: Chapter, listed: bool) -> None:
    updated = ChapterMembership.objects.filter(
        chapter=chapter, user=user, left_at__isnull=True
    ).update(listed=listed)
    if not updated:
        raise DomainError(ErrorCode.CONFLICT, _("You are not a member of this chapter."))


def chapter_lead_set(*, actor: User, chapter: Chapter, handle: str, lead: bool) -> None:
    if not selectors.manages_chapters(actor):
        raise forbidden()
    member = Member.objects.filter(handle__iexact=(handle or "").lstrip("@")).first()
    membership = None
    if member is not None:
        membership = ChapterMembership.objects.filter(
            chapter=chapter, user_id=member.user_id, left_at=None
        ).first()
    if member is None or membership is None:
        raise invalid("handle", _("Only a member of the chapter can lead it."))
    appointed = lead and membership.role != MembershipRole.LEAD
    membership.role = MembershipRole.LEAD if lead else MembershipRole.MEMBER
    membership.save(update_fields=["role"])
    entry = audit_record(
        actor=actor, action="community.chapter_lead", target=chapter, user=member.user_id, lead=lead
    )
    if appointed:
        # a lead removed and made a lead again is told again: each appointment is its own notice
        notify(
            membership.user,
            "community.chapter_lead",
            chapter,
            {"name": chapter.name},
            url=reverse("community:chapter", args=[chapter.slug]),
            key=f"appointed-{entry.pk}",
        )
