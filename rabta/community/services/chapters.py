"""Chapters and their events: opening a chapter, planning and cancelling its events, and the
RSVPs (a place while there is one, then the waiting list, whose first person gets the next
place freed)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from rabta.accounts.models import User
from rabta.accounts.validation import clean_time_zone
from rabta.community import selectors
from rabta.community.models import Category, Chapter, ChapterEvent, Rsvp, RsvpStatus
from rabta.community.services.guards import reason_clean, refuse_banned
from rabta.community.states import RSVP, transition
from rabta.core.errors import DomainError, ErrorCode, forbidden, invalid
from rabta.core.locking import capacity_release, capacity_try_claim
from rabta.core.markdown import markdown_render
from rabta.core.notifications import notify
from rabta.core.services import audit_record, save_validated
from rabta.core.tasks import task_enqueue


def chapter_open(*, actor: User, country: str, city: str, description: str = "") -> Chapter:
    from rabta.community.tasks import chapter_autojoin_task

    if not selectors.manages_chapters(actor):
        raise forbidden()
    city = " ".join((city or "").split())[:80]
    if country not in dict(countries):
        raise invalid("country", _("Choose a country."))
    country_name = str(dict(countries)[country])
    name = f"{city}, {country_name}" if city else country_name
    if Chapter.objects.filter(country=country, city__iexact=city).exists():
        raise invalid("city", _("There is already a chapter for %(place)s.") % {"place": name})
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
        save_validated(chapter)
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


# --- events ------------------------------------------------------------------------------------


def _starts_at(data: dict[str, Any]) -> dt.datetime:
    """``data['starts_local']`` in ``data['time_zone']``, refused where it does not exist or has
    passed."""
    try:
        zone = ZoneInfo(clean_time_zone(data.get("time_zone", "")))
    except ValidationError as exc:
        raise invalid("time_zone", exc.messages[0]) from exc
    local: dt.datetime = data["starts_local"]
    starts = local.replace(tzinfo=zone)
    # A wall-clock time skipped by a daylight-saving change does not exist there.
    if starts.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise invalid(
            "starts_local", _("That time does not exist in that time zone (the clocks change).")
        )
    if starts <= timezone.now():
        raise invalid("starts_local", _("Choose a time in the future."))
    return starts


def event_create(*, user: User, chapter: Chapter, data: dict[str, Any]) -> ChapterEvent:
    """``data['starts_local']`` is a wall-clock time in ``data['time_zone']``; it is stored in
    UTC and shown to everyone in their own zone."""
    if not selectors.runs_chapter(user=user, chapter=chapter):
        raise forbidden(_("Only the chapter's leads can plan its events."))
    refuse_banned(user)
    starts = _starts_at(data)
    description = data.get("description", "")
    event = ChapterEvent(
        chapter=chapter,
        title=data["title"],
        description=description,
        description_html=markdown_render(description)[0],
        mode=data["mode"],
        location=data["location"],
        starts_at=starts.astimezone(dt.UTC),
        time_zone=str(starts.tzinfo),
        duration_minutes=data["duration_minutes"],
        capacity=data["capacity"],
        visibility=data["visibility"],
        created_by=user,
    )
    if event.mode == "online" and not event.location.startswith("https://"):
        raise invalid("location", _("An online event needs its https:// meeting link."))
    save_validated(event)
    return event


def event_cancel(*, user: User, event: ChapterEvent, reason: str) -> None:
    if not selectors.runs_chapter(user=user, chapter=event.chapter):
        raise forbidden()
    reason = reason_clean(reason)
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
            notify(
                rsvp.user,
                "community.event_cancelled",
                event,
                {"title": event.title, "reason": reason},
                url=url,
            )
        audit_record(actor=user, action="community.event_cancel", target=event, reason=reason)


# --- RSVPs -------------------------------------------------------------------------------------


def rsvp_set(*, user: User, event: ChapterEvent, going: bool, leaving: bool = False) -> str:
    """Going takes a place if one is free, or a place on the waiting list; not going gives the
    place to the first person waiting.  Returns the person's status.  The event's row is locked
    first, so a cancellation and a new answer at the same moment cannot strand a place."""
    if not leaving:
        refuse_banned(user)
    if event.cancelled_at is not None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This event was cancelled."))
    if event.starts_at <= timezone.now():
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This event has already started."))
    with transaction.atomic():
        ChapterEvent.objects.select_for_update().filter(pk=event.pk).first()
        rsvp, _created = Rsvp.objects.select_for_update().get_or_create(
            event=event, user=user, defaults={"status": RsvpStatus.CANCELLED}
        )
        if rsvp.status != RsvpStatus.CANCELLED:
            if not going:
                _rsvp_cancel(rsvp, event, user)
        elif going:
            took = capacity_try_claim(ChapterEvent, event.pk, used="going_count", cap="capacity")
            transition(RSVP, rsvp, "go" if took else "wait", part="member", actor=user)
        return rsvp.status


def _rsvp_cancel(rsvp: Rsvp, event: ChapterEvent, user: User) -> None:
    was_going = rsvp.status == RsvpStatus.GOING
    transition(RSVP, rsvp, "cancel", part="member", actor=user)
    if was_going:
        capacity_release(ChapterEvent, event.pk, used="going_count")
        _place_hand_on(event)


def _place_hand_on(event: ChapterEvent) -> None:
    """The place just freed goes to the first person waiting who may still come (a member of
    the chapter, for a members-only event)."""
    waiting_list = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLIST)
    if event.visibility == "members":
        waiting_list = waiting_list.filter(
            user__chapter_memberships__chapter_id=event.chapter_id,
            user__chapter_memberships__left_at__isnull=True,
        )
    waiting = waiting_list.select_for_update().select_related("user").order_by("updated_at", "pk")
    first = waiting.first()
    if first is None or not capacity_try_claim(
        ChapterEvent, event.pk, used="going_count", cap="capacity"
    ):
        return
    transition(RSVP, first, "promote", part="system", actor=None)
    # one notice per place given: someone who gives it up and waits again is told again
    notify(
        first.user,
        "community.event_place",
        first,
        {"title": event.title},
        url=reverse("community:event", args=[event.pk]),
        key=f"place-{first.updated_at.isoformat()}",
    )
