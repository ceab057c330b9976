"""Writes for the community: chapters and their events, the forums and their moderation, the
Hall of Fame, and panel calls.  Every refusal is a coded DomainError that changes nothing."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rabta.accounts.models import ContributorProfile, EngineerProfile, User
from rabta.accounts.reference import districts_by_code
from rabta.accounts.roles import Role
from rabta.accounts.validation import clean_time_zone
from rabta.community import selectors
from rabta.community.documents import document_clean
from rabta.community.models import (
    Ban,
    Call,
    CallStatus,
    Category,
    Chapter,
    ChapterEvent,
    ChapterMembership,
    Flag,
    Honour,
    HonourStatus,
    Member,
    MembershipRole,
    MembershipSource,
    ModerationAction,
    Nomination,
    NominationStatus,
    PanelApplication,
    PanelApplicationStatus,
    PanelComment,
    PanelDocument,
    Post,
    PostNotice,
    Rsvp,
    RsvpStatus,
    Subscription,
    Thread,
    TrustLevel,
)
from rabta.community.presenters import post_url
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.locking import capacity_release, capacity_try_claim
from rabta.core.markdown import link_count, markdown_render, mention_candidates
from rabta.core.models import Notification
from rabta.core.notifications import notify
from rabta.core.services import audit_record, event_record, save_validated
from rabta.core.tasks import task_enqueue


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, message, fields={field: [message]})


def _forbidden(message: str | None = None) -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message or _("You may not do that here."))


_save_validated = save_validated


def _notify_user(
    user: User, kind: str, obj: models.Model, url: str, *, key: str = "", **values: Any
) -> None:
    notify(user, kind, obj, values, url=url, key=key)


def _refuse_banned(user: User) -> None:
    ban = selectors.active_ban(user)
    if ban is not None:
        until = (
            _("until %(date)s") % {"date": timezone.localtime(ban.until).date()}
            if ban.until
            else _("until a moderator lifts it")
        )
        raise _forbidden(
            _("You are banned from the community %(until)s. Reason: %(reason)s")
            % {"until": until, "reason": ban.reason}
        )


# --- members and trust levels ------------------------------------------------------------------


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
    _refuse_banned(user)
    member = member_ensure(user=user)
    handle = (handle or "").strip().lstrip("@")
    if not (2 <= len(handle) <= 30) or slugify(handle) != handle.lower() or "--" in handle:
        raise _invalid(
            "handle", _("A handle is 2 to 30 letters, digits and dashes, such as imran-q.")
        )
    if Member.objects.filter(handle__iexact=handle).exclude(pk=member.pk).exists():
        raise _invalid("handle", _("Someone already uses that handle."))
    member.handle = handle
    member.save(update_fields=["handle", "updated_at"])
    return member


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


def trust_level_set(*, moderator: User, user: User, level: int, reason: str) -> Member:
    if not selectors.is_moderator(moderator):
        raise _forbidden()
    if level not in TrustLevel.values:
        raise _invalid("level", _("Choose a trust level."))
    reason = _reason(reason)
    member = member_ensure(user=user)
    member.trust_level = level
    member.trust_locked = True
    member.save(update_fields=["trust_level", "trust_locked", "updated_at"])
    _moderation_log(moderator, "trust", reason, target_user=user, level=level)
    return member


# --- chapters ----------------------------------------------------------------------------------


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


def chapter_autojoin_all(*, chapter_id: int) -> int:
    """Everyone who lives in a new chapter's place joins it (a task after the chapter opens)."""
    chapter = Chapter.objects.get(pk=chapter_id)
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


def chapter_open(*, actor: User, country: str, city: str, description: str = "") -> Chapter:
    from rabta.community.tasks import chapter_autojoin_task

    if not selectors.manages_chapters(actor):
        raise _forbidden()
    city = " ".join((city or "").split())[:80]
    from django_countries import countries

    if country not in dict(countries):
        raise _invalid("country", _("Choose a country."))
    country_name = str(dict(countries)[country])
    name = f"{city}, {country_name}" if city else country_name
    if Chapter.objects.filter(country=country, city__iexact=city).exists():
        raise _invalid("city", _("There is already a chapter for %(place)s.") % {"place": name})
    slug = slugify(f"{country}-{city}" if city else country)[:70] or secrets.token_hex(4)
    html, _mentioned = markdown_render(description)
    with transaction.atomic():
        chapter = Chapter(
            slug=slug,
            name=name,
            country=country,
            city=city,
            description=description,
            description_html=html,
        )
        _save_validated(chapter)
        Category.objects.create(
            slug=f"chapter-{slug}"[:80],
            name=name,
            description=_("For members of the %(name)s chapter.") % {"name": name},
            chapter=chapter,
            position=100,
        )
        audit_record(actor=actor, action="community.chapter_open", target=chapter)
        task_enqueue(chapter_autojoin_task, chapter.pk)
    return chapter


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
        raise _forbidden()
    member = Member.objects.filter(handle__iexact=(handle or "").lstrip("@")).first()
    membership = None
    if member is not None:
        membership = ChapterMembership.objects.filter(
            chapter=chapter, user_id=member.user_id, left_at=None
        ).first()
    if member is None or membership is None:
        raise _invalid("handle", _("Only a member of the chapter can lead it."))
    membership.role = MembershipRole.LEAD if lead else MembershipRole.MEMBER
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor, action="community.chapter_lead", target=chapter, user=member.user_id, lead=lead
    )
    if lead:
        _notify_user(
            membership.user,
            "community.chapter_lead",
            chapter,
            reverse("community:chapter", args=[chapter.slug]),
            name=chapter.name,
        )


# --- chapter events ------------------------------------------------------------------------------


def _can_run_chapter(user: User, chapter: Chapter) -> bool:
    return selectors.manages_chapters(user) or selectors.is_lead(user=user, chapter=chapter)


def event_create(*, user: User, chapter: Chapter, data: dict[str, Any]) -> ChapterEvent:
    """``data['starts_local']`` is a wall-clock time in ``data['time_zone']``; it is stored in
    UTC and shown to everyone in their own zone."""
    if not _can_run_chapter(user, chapter):
        raise _forbidden(_("Only the chapter's leads can plan its events."))
    _refuse_banned(user)
    try:
        zone = ZoneInfo(clean_time_zone(data.get("time_zone", "")))
    except ValidationError as exc:
        raise _invalid("time_zone", exc.messages[0]) from exc
    local: dt.datetime = data["starts_local"]
    starts = local.replace(tzinfo=zone)
    # A wall-clock time skipped by a daylight-saving change does not exist there.
    if starts.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise _invalid(
            "starts_local", _("That time does not exist in that time zone (the clocks change).")
        )
    if starts <= timezone.now():
        raise _invalid("starts_local", _("Choose a time in the future."))
    description = data.get("description", "")
    event = ChapterEvent(
        chapter=chapter,
        title=data["title"],
        description=description,
        description_html=markdown_render(description)[0],
        mode=data["mode"],
        location=data["location"],
        starts_at=starts.astimezone(dt.UTC),
        time_zone=str(zone),
        duration_minutes=data["duration_minutes"],
        capacity=data["capacity"],
        visibility=data["visibility"],
        created_by=user,
    )
    if event.mode == "online" and not event.location.startswith("https://"):
        raise _invalid("location", _("An online event needs its https:// meeting link."))
    _save_validated(event)
    return event


def event_cancel(*, user: User, event: ChapterEvent, reason: str) -> None:
    if not _can_run_chapter(user, event.chapter):
        raise _forbidden()
    reason = _reason(reason)
    with transaction.atomic():
        if (
            ChapterEvent.objects.filter(pk=event.pk, cancelled_at__isnull=True).update(
                cancelled_at=timezone.now()
            )
            != 1
        ):
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This event is already cancelled."))
        url = reverse("community:event", args=[event.pk])
        for rsvp in event.rsvps.filter(
            status__in=[RsvpStatus.GOING, RsvpStatus.WAITLIST]
        ).select_related("user"):
            _notify_user(
                rsvp.user,
                "community.event_cancelled",
                event,
                url,
                title=event.title,
                reason=reason,
            )
        audit_record(actor=user, action="community.event_cancel", target=event, reason=reason)


def rsvp_set(*, user: User, event: ChapterEvent, going: bool, leaving: bool = False) -> str:
    """Going takes a place if one is free, or a place on the waiting list; not going gives the
    place to the first person waiting.  Returns the person's status.  The event's row is locked
    first, so a cancellation and a new answer at the same moment cannot strand a place."""
    if not leaving:
        _refuse_banned(user)
    if event.cancelled_at is not None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This event was cancelled."))
    if event.starts_at <= timezone.now():
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This event has already started."))
    with transaction.atomic():
        ChapterEvent.objects.select_for_update().filter(pk=event.pk).first()
        rsvp, _created = Rsvp.objects.select_for_update().get_or_create(
            event=event, user=user, defaults={"status": RsvpStatus.CANCELLED}
        )
        if going:
            if rsvp.status == RsvpStatus.CANCELLED:
                took = capacity_try_claim(
                    ChapterEvent, event.pk, used="going_count", cap="capacity"
                )
                rsvp.status = RsvpStatus.GOING if took else RsvpStatus.WAITLIST
                rsvp.save(update_fields=["status", "updated_at"])
            return rsvp.status
        was_going = rsvp.status == RsvpStatus.GOING
        rsvp.status = RsvpStatus.CANCELLED
        rsvp.save(update_fields=["status", "updated_at"])
        if was_going:
            capacity_release(ChapterEvent, event.pk, used="going_count")
            waiting_list = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLIST)
            if event.visibility == "members":
                waiting_list = waiting_list.filter(
                    user__chapter_memberships__chapter_id=event.chapter_id,
                    user__chapter_memberships__left_at__isnull=True,
                )
            waiting = (
                waiting_list.select_for_update()
                .select_related("user")
                .order_by("updated_at", "pk")
                .first()
            )
            if waiting is not None and capacity_try_claim(
                ChapterEvent, event.pk, used="going_count", cap="capacity"
            ):
                waiting.status = RsvpStatus.GOING
                waiting.save(update_fields=["status", "updated_at"])
                _notify_user(
                    waiting.user,
                    "community.event_place",
                    waiting,
                    reverse("community:event", args=[event.pk]),
                    title=event.title,
                )
        return rsvp.status


# --- forums ------------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())[:300]
    if len(reason) < 3:
        raise _invalid("reason", _("Give a reason; the person affected will read it."))
    return reason


def _render_body(user: User, body: str, limits: Limits) -> tuple[str, list[int]]:
    body = (body or "").strip()
    if len(body) < 2:
        raise _invalid("body", _("Write something first."))
    if len(body) > 20000:
        raise _invalid("body", _("A post may be at most 20,000 characters."))
    html, mentioned = markdown_render(body, mentions=_handles_map(body))
    # addresses typed as text and links in any form that rendered (protocol-relative, autolinks)
    links = max(link_count(body), html.count("<a ") - html.count('class="mention"'))
    if links > limits.links:
        raise _invalid(
            "body",
            _(
                "At your trust level a post may hold at most %(n)d web addresses. Post more and "
                "the limit rises."
            )
            % {"n": limits.links},
        )
    if len(mentioned) > limits.mentions:
        raise _invalid(
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
    _refuse_banned(user)
    if not selectors.category_readable(user=user, category=category):
        raise _forbidden(_("Only the chapter's members can post here."))
    member = member_ensure(user=user)
    limits = TRUST_LIMITS[TrustLevel(trust_level_refresh(member=member))]
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
        raise _invalid("title", _("A title is 5 to 160 characters."))
    member, limits = _posting_checks(user, category, thread=True)
    html, mentioned = _render_body(user, body, limits)
    now = timezone.now()
    try:
        return _thread_write(user, member, category, title, body, html, mentioned, nonce, now)
    except IntegrityError:
        # the same form sent twice at the same moment: the first one made the discussion
        earlier = Post.objects.filter(author=user, nonce=nonce).select_related("thread").first()
        if earlier is None:
            raise
        return earlier.thread


def _thread_write(
    user: User,
    member: Member,
    category: Category,
    title: str,
    body: str,
    html: str,
    mentioned: list[int],
    nonce: str,
    now: dt.datetime,
) -> Thread:
    with transaction.atomic():
        thread = Thread.objects.create(
            category=category, author=user, title=title, last_posted_at=now
        )
        post = Post.objects.create(
            thread=thread,
            number=1,
            author=user,
            body=body.strip(),
            body_html=html,
            nonce=nonce,
            mentioned=mentioned,
        )
        Category.objects.filter(pk=category.pk).update(
            threads_count=F("threads_count") + 1, last_posted_at=now
        )
        _subscribe(user, thread)
        _posted(member, post)
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
    try:
        return _reply_write(user, member, thread, body, html, mentioned, nonce)
    except IntegrityError:
        earlier = Post.objects.filter(author=user, nonce=nonce).first()
        if earlier is None:
            raise
        return earlier  # the same form sent twice at the same moment


def _reply_write(
    user: User,
    member: Member,
    thread: Thread,
    body: str,
    html: str,
    mentioned: list[int],
    nonce: str,
) -> Post:
    with transaction.atomic():
        # The thread's row lock orders replies: numbers never collide.
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        number = (Post.objects.filter(thread=locked).aggregate(n=Max("number"))["n"] or 0) + 1
        post = Post.objects.create(
            thread=locked,
            number=number,
            author=user,
            body=body.strip(),
            body_html=html,
            nonce=nonce,
            mentioned=mentioned,
        )
        Thread.objects.filter(pk=thread.pk).update(
            replies_count=F("replies_count") + 1, last_posted_at=post.created_at
        )
        Category.objects.filter(pk=thread.category_id).update(last_posted_at=post.created_at)
        _posted(member, post)
    return post


def post_edit(*, user: User, post: Post, body: str) -> Post:
    if post.author_id != user.pk:
        raise _forbidden(_("Only the author can edit a post."))
    if post.hidden_at or post.thread.locked_at:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This post can no longer be edited."))
    _refuse_banned(user)
    member = member_ensure(user=user)
    limits = TRUST_LIMITS[TrustLevel(trust_level_refresh(member=member))]
    html, mentioned = _render_body(user, body, limits)
    post.body = body.strip()
    post.body_html = html
    post.mentioned = mentioned
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "mentioned", "edited_at"])
    from rabta.community.tasks import post_notify_task

    # people newly mentioned are told; the ones told before are not told again
    task_enqueue(post_notify_task, post.pk)
    return post


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
    reasons: dict[int, str] = {}
    watchers = (
        Subscription.objects.filter(category=thread.category)
        if post.number == 1
        else Subscription.objects.filter(thread=thread)
    )
    for user_id in watchers.values_list("user_id", flat=True):
        reasons[user_id] = "watching"
    for user_id in post.mentioned:
        reasons[int(user_id)] = "mention"
    reasons.pop(post.author_id, None)
    sent = 0
    url = post_url(post)
    thread_url = reverse("community:thread", args=[thread.pk])
    for user in User.objects.filter(pk__in=reasons, is_active=True):
        if not selectors.category_readable(user=user, category=thread.category):
            continue
        if (
            reasons[user.pk] == "watching"
            and Notification.objects.filter(
                user=user, read_at__isnull=True, url__startswith=thread_url
            ).exists()
        ):
            # one unread message per discussion is enough to bring them back; recorded, so a
            # later edit of this post does not tell them after all
            PostNotice.objects.get_or_create(post=post, user=user, defaults={"reason": "coalesced"})
            continue
        if reasons[user.pk] == "mention":
            kind = "community.mention"
        elif post.number == 1:
            kind = "community.thread"
        else:
            kind = "community.reply"
        try:
            with transaction.atomic():
                PostNotice.objects.create(post=post, user=user, reason=reasons[user.pk])
                notify(
                    user,
                    kind,
                    post,
                    {"name": post.author.display_name, "title": thread.title},
                    url=url,
                )
        except IntegrityError:
            continue  # told already
        sent += 1
    return sent


def solution_set(*, user: User, post: Post, solved: bool) -> None:
    thread = post.thread
    if thread.author_id != user.pk and not selectors.is_moderator(user):
        raise _forbidden(_("Only the person who asked can choose the answer."))
    if solved:
        if post.number == 1 or post.hidden_at:
            raise _invalid("post", _("Choose a visible reply as the answer."))
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


def flag_create(*, user: User, post: Post, reason: str, note: str = "") -> Flag:
    _refuse_banned(user)
    if post.author_id == user.pk:
        raise _invalid("reason", _("You cannot flag your own post."))
    if post.hidden_at is not None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This post is already hidden."))
    if reason not in dict(Flag._meta.get_field("reason").choices or []):
        raise _invalid("reason", _("Choose why you are flagging this post."))
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


can_moderate = selectors.can_moderate


def _moderation_log(
    moderator: User | None, action: str, reason: str, **targets: Any
) -> ModerationAction:
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
    _moderation_log(moderator, "hide", reason, thread=thread, post=post, target_user=post.author)
    author = post.author
    with translation.override(author.preferred_language):
        shown = _(reason)
    _notify_user(
        author,
        "community.post_hidden",
        post,
        reverse("community:thread", args=[thread.pk]) + f"#post-{post.number}",
        title=thread.title,
        reason=shown,
    )


def _flags_resolve(post: Post, moderator: User | None, outcome: str) -> None:
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator, outcome=outcome
    )
    Post.objects.filter(pk=post.pk).update(flags_open=0)


def post_hide(*, moderator: User, post: Post, reason: str) -> None:
    if not can_moderate(moderator, post.thread.category):
        raise _forbidden()
    reason = _reason(reason)
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
            _moderation_log(
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
    last = (
        (
            ModerationAction.objects.filter(post=post)
            if post is not None
            else ModerationAction.objects.filter(thread=thread, post__isnull=True)
        )
        .order_by("-at", "-pk")
        .select_related("moderator")
        .first()
    )
    return last is None or last.moderator is None or not selectors.is_moderator(last.moderator)


def post_unhide(*, moderator: User, post: Post, reason: str) -> None:
    if not can_moderate(moderator, post.thread.category) or not _reversible_by(
        moderator, post=post
    ):
        raise _forbidden()
    reason = _reason(reason)
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
        _moderation_log(moderator, "unhide", reason, thread=post.thread, post=post)


def flags_dismiss(*, moderator: User, post: Post, reason: str) -> None:
    if not can_moderate(moderator, post.thread.category) or post.author_id == moderator.pk:
        raise _forbidden()
    reason = _reason(reason)
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
        if post.hidden_at is not None and post.hidden_reason == SYSTEM_HIDE_REASON:
            post_unhide(moderator=moderator, post=post, reason=reason)
            return
        _flags_resolve(post, moderator, "dismissed")
        _moderation_log(moderator, "dismiss", reason, thread=post.thread, post=post)


def thread_lock_set(*, moderator: User, thread: Thread, locked: bool, reason: str) -> None:
    if not can_moderate(moderator, thread.category) or (
        not locked and not _reversible_by(moderator, thread=thread)
    ):
        raise _forbidden()
    reason = _reason(reason)
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
        _moderation_log(moderator, "lock" if locked else "unlock", reason, thread=thread)


def thread_move(*, moderator: User, thread: Thread, category: Category, reason: str) -> None:
    # Only moderators move: a chapter lead could otherwise carry a thread out of sight.
    if not selectors.is_moderator(moderator):
        raise _forbidden()
    reason = _reason(reason)
    if category.pk == thread.category_id:
        raise _invalid("category", _("The discussion is already in that forum."))
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if category.pk == thread.category_id:
            raise _invalid("category", _("The discussion is already in that forum."))
        source = thread.category_id
        Thread.objects.filter(pk=thread.pk).update(category=category)
        Category.objects.filter(pk=source).update(threads_count=F("threads_count") - 1)
        Category.objects.filter(pk=category.pk).update(threads_count=F("threads_count") + 1)
        _moderation_log(
            moderator, "move", reason, thread=thread, source=source, destination=category.pk
        )


def user_ban(*, moderator: User, user: User, reason: str, days: int | None) -> Ban:
    if not selectors.is_moderator(moderator):
        raise _forbidden()
    if user.pk == moderator.pk or selectors.is_moderator(user):
        raise _invalid("user", _("Moderators cannot be banned here; ask an administrator."))
    reason = _reason(reason)
    if days is not None and not 1 <= days <= 3650:
        raise _invalid("days", _("A ban lasts 1 to 3,650 days, or until lifted."))
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
        _moderation_log(moderator, "ban", reason, target_user=user, days=days)
        _notify_user(
            user,
            "community.banned",
            ban,
            reverse("community:home"),
            reason=reason,
        )
    return ban


def ban_lift(*, moderator: User, ban: Ban, reason: str) -> None:
    if not selectors.is_moderator(moderator):
        raise _forbidden()
    reason = _reason(reason)
    with transaction.atomic():
        if (
            Ban.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(
                lifted_at=timezone.now(), lifted_by=moderator
            )
            != 1
        ):
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This ban was already lifted."))
        _moderation_log(moderator, "unban", reason, target_user=ban.user)


# --- Hall of Fame ------------------------------------------------------------------------------

NOMINATIONS_PER_MONTH = 5


def nomination_submit(*, user: User, handle: str, citation: str) -> Nomination:
    _refuse_banned(user)
    member = (
        Member.objects.filter(handle__iexact=(handle or "").strip().lstrip("@"))
        .select_related("user")
        .first()
    )
    if member is None or not member.user.has_role(Role.CONTRIBUTOR):
        raise _invalid("handle", _("Nominate an overseas contributor by their community handle."))
    if member.user_id == user.pk:
        raise _invalid("handle", _("You cannot nominate yourself."))
    citation = (citation or "").strip()
    if not 40 <= len(citation) <= 3000:
        raise _invalid("citation", _("Say in 40 to 3,000 characters what this person has given."))
    since = timezone.now() - dt.timedelta(days=30)
    if (
        Nomination.objects.filter(nominator=user, created_at__gte=since).count()
        >= NOMINATIONS_PER_MONTH
    ):
        raise DomainError(
            ErrorCode.RATE_LIMITED,
            _("You can make %(n)d nominations in 30 days.") % {"n": NOMINATIONS_PER_MONTH},
        )
    try:
        with transaction.atomic():
            return Nomination.objects.create(
                nominee=member.user,
                nominator=user,
                citation=citation,
                citation_html=markdown_render(citation)[0],
            )
    except IntegrityError as exc:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("You have already nominated this person; the council is reviewing it."),
        ) from exc


def nomination_decide(
    *, reviewer: User, nomination: Nomination, accept: bool, note: str, citation: str = ""
) -> Honour | None:
    if not selectors.reviews_nominations(reviewer):
        raise _forbidden()
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update()
            .select_related("nominee", "nominator")
            .get(pk=nomination.pk)
        )
        if nomination.status != NominationStatus.SUBMITTED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("This nomination was already decided.")
            )
        nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.DECLINED
        nomination.decided_at = timezone.now()
        nomination.decided_by = reviewer
        nomination.decision_note = (note or "").strip()[:500]
        nomination.save()
        audit_record(
            actor=reviewer, action="community.nomination_decide", target=nomination, accept=accept
        )
        if not accept:
            _notify_user(
                nomination.nominator,
                "community.nomination_declined",
                nomination,
                reverse("community:hall_of_fame"),
                name=nomination.nominee.display_name,
            )
            return None
        year = timezone.localdate().year
        if (
            Honour.objects.filter(user=nomination.nominee, year=year)
            .exclude(status__in=[HonourStatus.DECLINED, HonourStatus.WITHDRAWN])
            .exists()
        ):
            raise DomainError(
                ErrorCode.CONFLICT, _("This person is already in this year's Hall of Fame.")
            )
        text = (citation or nomination.citation).strip()[:3000]
        honour = Honour.objects.create(
            user=nomination.nominee,
            nomination=nomination,
            year=year,
            slug=f"{slugify(nomination.nominee.display_name)[:24]}-{year}-{secrets.token_hex(2)}",
            citation=text,
            citation_html=markdown_render(text)[0],
        )
        _notify_user(
            nomination.nominee,
            "community.honour_offered",
            honour,
            reverse("community:honour_consent", args=[honour.pk]),
        )
    return honour


def honour_consent(*, user: User, honour: Honour, agree: bool) -> None:
    with transaction.atomic():
        honour = Honour.objects.select_for_update().get(pk=honour.pk)
        if honour.user_id != user.pk:
            raise _forbidden()
        if honour.status != HonourStatus.AWAITING_CONSENT:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("You have already answered."))
        honour.status = HonourStatus.PUBLISHED if agree else HonourStatus.DECLINED
        honour.published_at = timezone.now() if agree else None
        honour.save(update_fields=["status", "published_at"])
        audit_record(actor=user, action="community.honour_consent", target=honour, agree=agree)
        if agree:
            profile = ContributorProfile.objects.filter(user=user).only("country").first()
            event_record(
                kind="community.honoured",
                actor_id=user.pk,
                subject=honour,
                country=str(profile.country) if profile else "",
            )


def honour_withdraw(*, reviewer: User, honour: Honour, reason: str) -> None:
    if not selectors.reviews_nominations(reviewer):
        raise _forbidden()
    reason = _reason(reason)
    if (
        Honour.objects.filter(
            pk=honour.pk, status__in=[HonourStatus.AWAITING_CONSENT, HonourStatus.PUBLISHED]
        ).update(status=HonourStatus.WITHDRAWN)
        != 1
    ):
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This honour is not current."))
    audit_record(actor=reviewer, action="community.honour_withdraw", target=honour, reason=reason)


# --- panel calls ------------------------------------------------------------------------------


def call_open(*, actor: User, data: dict[str, Any]) -> Call:
    if not selectors.runs_calls(actor):
        raise _forbidden()
    if data["closes_on"] < timezone.localdate():
        raise _invalid("closes_on", _("Choose a closing date from today on."))
    if data["kind"] == "curriculum_review" and not data.get("discipline"):
        raise _invalid("discipline", _("A curriculum review is for one discipline."))
    call = Call(
        kind=data["kind"],
        title=data["title"],
        body=data["body"],
        body_html=markdown_render(data["body"])[0],
        discipline=data.get("discipline", ""),
        sector=data.get("sector", ""),
        seats=data["seats"],
        closes_on=data["closes_on"],
        created_by=actor,
    )
    _save_validated(call)
    audit_record(actor=actor, action="community.call_open", target=call)
    return call


def call_apply(*, user: User, call: Call, statement: str) -> PanelApplication:
    _refuse_banned(user)
    if not (
        user.has_role(Role.CONTRIBUTOR) and ContributorProfile.objects.filter(user=user).exists()
    ):
        raise DomainError(
            ErrorCode.NOT_ELIGIBLE,
            _("Panels are for overseas contributors: complete your contributor profile first."),
        )
    if call.status != CallStatus.OPEN or call.closes_on < timezone.localdate():
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This call is closed."))
    statement = (statement or "").strip()
    if not 40 <= len(statement) <= 5000:
        raise _invalid("statement", _("Describe your expertise in 40 to 5,000 characters."))
    html = markdown_render(statement)[0]
    with transaction.atomic():
        existing = (
            PanelApplication.objects.select_for_update().filter(call=call, applicant=user).first()
        )
        if existing is not None and existing.status != PanelApplicationStatus.WITHDRAWN:
            raise DomainError(ErrorCode.CONFLICT, _("You have already applied to this call."))
        if existing is not None:
            existing.statement, existing.statement_html = statement, html
            existing.status = PanelApplicationStatus.APPLIED
            existing.save(update_fields=["statement", "statement_html", "status"])
            return existing
        return PanelApplication.objects.create(
            call=call, applicant=user, statement=statement, statement_html=html
        )


def application_withdraw(*, user: User, call: Call) -> None:
    if (
        PanelApplication.objects.filter(
            call=call, applicant=user, status=PanelApplicationStatus.APPLIED
        ).update(status=PanelApplicationStatus.WITHDRAWN)
        != 1
    ):
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("There is no application to withdraw."))


def call_close(*, actor: User, call: Call) -> None:
    if not selectors.runs_calls(actor):
        raise _forbidden()
    if (
        Call.objects.filter(pk=call.pk, status=CallStatus.OPEN).update(status=CallStatus.CLOSED)
        != 1
    ):
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This call is not open."))
    audit_record(actor=actor, action="community.call_close", target=call)


def panel_select(*, actor: User, call: Call, application_ids: list[int]) -> int:
    """Seat the chosen applicants; everyone else who applied is told they were not chosen."""
    if not selectors.runs_calls(actor):
        raise _forbidden()
    chosen = set(application_ids)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.status == CallStatus.SELECTED:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("The panel is already selected."))
        applied = {
            a.pk: a
            for a in call.applications.filter(status=PanelApplicationStatus.APPLIED).select_related(
                "applicant"
            )
        }
        if not chosen or chosen - set(applied):
            raise _invalid("applications", _("Choose among the current applications."))
        if len(chosen) > call.seats:
            raise _invalid("applications", _("The panel has %(n)d seats.") % {"n": call.seats})
        now = timezone.now()
        url = reverse("community:call", args=[call.pk])
        for pk, application in applied.items():
            selected = pk in chosen
            application.status = (
                PanelApplicationStatus.SELECTED if selected else PanelApplicationStatus.NOT_SELECTED
            )
            application.decided_at = now
            application.save(update_fields=["status", "decided_at"])
            _notify_user(
                application.applicant,
                "community.panel_selected" if selected else "community.panel_not_selected",
                application,
                url,
                title=call.title,
            )
            if selected:
                event_record(
                    kind="community.panel_selected",
                    actor_id=application.applicant_id,
                    subject=call,
                    sector=call.sector,
                )
        call.status = CallStatus.SELECTED
        call.selected_at = now
        call.save(update_fields=["status", "selected_at", "updated_at"])
        audit_record(
            actor=actor, action="community.panel_select", target=call, chosen=sorted(chosen)
        )
    return len(chosen)


MAX_DOCUMENTS = 200


def document_add(*, user: User, call_id: int, title: str, name: str, data: bytes) -> PanelDocument:
    call = selectors.workspace_get_for_user(user=user, call_id=call_id)
    _refuse_banned(user)
    title = " ".join((title or "").split())[:160]
    if len(title) < 3:
        raise _invalid("title", _("Give the document a title."))
    if call.documents.count() >= MAX_DOCUMENTS:
        raise _invalid("file", _("The workspace holds at most %(n)d files.") % {"n": MAX_DOCUMENTS})
    clean = document_clean(name=name, data=data)
    stored = default_storage.save(
        f"panels/{secrets.token_urlsafe(18)}{clean.extension}", ContentFile(data)
    )
    try:
        return PanelDocument.objects.create(
            call=call,
            uploaded_by=user,
            title=title,
            file=stored,
            filename=clean.filename,
            content_type=clean.content_type,
            size=len(data),
        )
    except Exception:
        default_storage.delete(stored)
        raise


def comment_add(
    *, user: User, call_id: int, body: str, document_id: int | None = None
) -> PanelComment:
    call = selectors.workspace_get_for_user(user=user, call_id=call_id)
    _refuse_banned(user)
    body = (body or "").strip()
    if not 2 <= len(body) <= 5000:
        raise _invalid("body", _("A comment is 2 to 5,000 characters."))
    document = None
    if document_id is not None:
        document = call.documents.filter(pk=document_id).first()
        if document is None:
            raise _invalid("document", _("That document is not in this workspace."))
    return PanelComment.objects.create(
        call=call, document=document, author=user, body=body, body_html=markdown_render(body)[0]
    )
