"""How community objects are shown: an event's times in three zones, its calendar file, and the
address of a post inside its thread's pages."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent

from rabta.community.models import ChapterEvent, Post
from rabta.community.selectors import POSTS_PER_PAGE

PAKISTAN = ZoneInfo("Asia/Karachi")


def event_times(event: ChapterEvent) -> list[tuple[str, datetime, tzinfo]]:
    """The start on the reader's clock first (the active zone, ``ReaderZoneMiddleware``), then
    where the event is held, then Pakistan's, each once.  The template formats each in its own
    zone (``|timezone:zone``)."""
    rows: list[tuple[str, datetime, tzinfo]] = []
    seen: set[str] = set()
    for label, zone in (
        (_("your time"), timezone.get_current_timezone()),
        (_("the event's time"), ZoneInfo(event.time_zone)),
        (_("Pakistan time"), PAKISTAN),
    ):
        if str(zone) in seen:
            continue
        seen.add(str(zone))
        rows.append((f"{label} ({zone})", event.starts_at.astimezone(zone), zone))
    return rows


def event_ics(event: ChapterEvent) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Pakistan Engineering Council//Rabta//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"chapter-event-{event.pk}@rabta.pec.org.pk")
    entry.add("dtstamp", timezone.now())
    zone = ZoneInfo(event.time_zone)
    # In the event's own zone, so a calendar moves it correctly across a daylight-saving change.
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add(
        "dtend", (event.starts_at + timedelta(minutes=event.duration_minutes)).astimezone(zone)
    )
    entry.add("summary", f"{event.chapter.name}: {event.title}"[:200])
    entry.add("url", settings.SITE_URL + reverse("community:event", args=[event.pk]))
    if event.cancelled_at:
        entry.add("status", "CANCELLED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event.title[:120])
    alarm.add("trigger", timedelta(minutes=-30))
    entry.add_component(alarm)
    cal.add_component(entry)
    cal.add_missing_timezones()
    return cal.to_ical()


def post_url(post: Post) -> str:
    page = (post.number - 1) // POSTS_PER_PAGE + 1
    base = reverse("community:thread", args=[post.thread_id])
    return f"{base}?page={page}#post-{post.number}" if page > 1 else f"{base}#post-{post.number}"
