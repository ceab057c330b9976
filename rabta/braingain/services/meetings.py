"""What mentorship sessions and milestone meetings share: the meeting link, the time window,
the invites both people get (a calendar file with each notice), the reminders before a meeting
and each person's calendar feed.

* A link is https only and at most 500 characters; Zoom, Microsoft Teams, Google Meet and
  Jitsi are recognised by their host, any other https host is allowed and the page warns.
  The host is read the way a browser reads it, and anything a browser and Python could read
  differently (a user name before the host, backslashes, spaces, non-ASCII hosts) is refused.
* An invite is RFC 5545 ``METHOD:REQUEST`` under a UID that never changes; each reschedule and
  the cancellation raise ``sequence``, so calendars replace the event they hold.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.braingain import presenters, states
from rabta.braingain.models import (
    CalendarFeed,
    EngagementStatus,
    MentorshipSession,
    MentorshipStatus,
    MilestoneMeeting,
    SessionStatus,
)
from rabta.core.batches import in_batches
from rabta.core.emails import Attachment, reading_as
from rabta.core.errors import DomainError, ErrorCode, invalid
from rabta.core.notifications import notify
from rabta.core.services import audit_record, validate

LINK_MAX = 500
# (service, host, whether its subdomains are the service too): Zoom gives each company a
# subdomain (us02web.zoom.us, acme.zoom.us); the others serve meetings from one host
SERVICES = (
    ("Zoom", "zoom.us", True),
    ("Microsoft Teams", "teams.microsoft.com", False),
    ("Microsoft Teams", "teams.live.com", False),
    ("Google Meet", "meet.google.com", False),
    ("Jitsi", "meet.jit.si", False),
    ("Jitsi", "8x8.vc", False),
)
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)
PAST_ALLOWED = timedelta(days=30)  # a session held last week may still be logged
AHEAD_ALLOWED = timedelta(days=366)
INVITE = "braingain.meeting_invite"
CHANGED = "braingain.meeting_changed"
CANCELLED = "braingain.meeting_cancelled"
REMINDER = "braingain.meeting_reminder"

Meeting = MentorshipSession | MilestoneMeeting


# --- the link --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingLink:
    url: str
    service: str  # "Zoom", "Google Meet" ...; empty for a host we do not recognise


def _refuse(message: str) -> DomainError:
    return invalid("meeting_url", message)


def meeting_link_check(url: str) -> MeetingLink:
    """The link as it will be stored and the service it is on; refuses, with a coded
    ``validation_error`` on ``meeting_url``, anything but a plain https link."""
    url = url.strip()
    if not url:
        return MeetingLink("", "")
    if len(url) > LINK_MAX:
        raise _refuse(_("Keep the meeting link under %(n)d characters.") % {"n": LINK_MAX})
    # browsers drop or rewrite these before they read the host, Python does not: refuse them
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url) or "\\" in url:
        raise _refuse(_("The meeting link has spaces or characters a link cannot have."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse(_("That is not a link we can read.")) from None
    if parts.scheme.lower() != "https":
        raise _refuse(_("Share a secure meeting link: it starts with https://."))
    if "@" in parts.netloc:
        raise _refuse(_("A meeting link cannot contain a user name or password."))
    host = (parts.hostname or "").rstrip(".")
    if not host or not host.isascii() or not _HOST.fullmatch(host):
        raise _refuse(
            _("Use the link exactly as your meeting service gives it (a plain web address).")
        )
    return MeetingLink(url, _service(host) if port in (None, 443) else "")


def _service(host: str) -> str:
    for name, domain, subdomains in SERVICES:
        if host == domain or (subdomains and host.endswith("." + domain)):
            return name
    return ""


def meeting_service(url: str) -> str:
    """The service a stored link is on, or "" (the page then warns that it is not one we
    recognise)."""
    try:
        return meeting_link_check(url).service
    except DomainError:
        return ""


def meeting_time_check(starts_at: datetime) -> None:
    if timezone.is_naive(starts_at):
        raise invalid("starts_at", _("Say which time zone the time is in."))
    now = timezone.now()
    if not now - PAST_ALLOWED <= starts_at <= now + AHEAD_ALLOWED:
        raise invalid("starts_at", _("Choose a time within the next year."))


def meeting_change(
    meeting: Meeting,
    *,
    starts_at: datetime,
    duration_minutes: int,
    meeting_url: str,
    agenda: str | None,
) -> list[str]:
    """Give a planned meeting its new time, length, link (and agenda, when given), raise its
    ``sequence`` and make the day-before reminder due again; returns the columns to save.
    Refuses a change that changes nothing, which would only send both people a copy."""
    new = {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "meeting_url": meeting_url,
        "agenda": meeting.agenda if agenda is None else agenda.strip(),
    }
    changed = [name for name, value in new.items() if getattr(meeting, name) != value]
    if not changed:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, _("Nothing changed: the meeting stays as it is.")
        )
    for name in changed:
        setattr(meeting, name, new[name])
    meeting.sequence += 1
    if "starts_at" in changed:
        meeting.reminded_at = None
    return [*changed, "sequence", "reminded_at"]


def _machine(meeting: Meeting) -> states.Machine:
    return states.SESSION if isinstance(meeting, MentorshipSession) else states.MEETING


def meeting_move(
    meeting: Meeting,
    *,
    part: str,
    actor: User,
    starts_at: datetime,
    duration_minutes: int,
    meeting_url: str,
    agenda: str | None,
    exclude: list[str],
) -> None:
    """Move a locked, planned meeting (a session or a milestone meeting) to its new time,
    length or link and send both people the updated invite.  Call in the caller's
    transaction, after its own checks."""
    changed = meeting_change(
        meeting,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        meeting_url=meeting_url,
        agenda=agenda,
    )
    validate(meeting, exclude=exclude)
    states.transition(
        _machine(meeting), meeting, "reschedule", part=part, actor=actor, fields=changed
    )
    invites_send(meeting, CHANGED)


def meeting_cancel(meeting: Meeting, *, part: str, actor: User) -> None:
    """Cancel a locked, planned meeting: the invite's SEQUENCE goes up and both people get the
    cancellation for their calendars."""
    meeting.sequence += 1
    states.transition(
        _machine(meeting), meeting, "cancel", part=part, actor=actor, fields=["sequence"]
    )
    invites_send(meeting, CANCELLED)


# --- invites ---------------------------------------------------------------------------------


def _entry(meeting: Meeting) -> presenters.CalendarEntry:
    if isinstance(meeting, MentorshipSession):
        return presenters.session_entry(meeting)
    return presenters.milestone_meeting_entry(meeting)


def _page(meeting: Meeting) -> str:
    from django.urls import reverse

    if isinstance(meeting, MentorshipSession):
        return reverse("braingain:mentorship", args=[meeting.mentorship_id])
    return reverse("braingain:engagement", args=[meeting.milestone.engagement_id])


def invites_send(meeting: Meeting, kind: str) -> int:
    """Tell both people of ``meeting`` (an invite, a change, a cancellation), each with the
    calendar file in their own language; once per person and ``sequence``.  Call in the
    transaction that made the change, after ``sequence`` was raised."""
    method = "CANCEL" if kind == CANCELLED else "REQUEST"
    told = 0
    for person in _entry(meeting).attendees:
        with reading_as(person):
            entry = _entry(meeting)
            ics = presenters.calendar_ics([entry], reader=person, method=method).decode()
            context = _context(meeting, entry, person)
        attachment: Attachment = {
            "name": "cancel.ics" if method == "CANCEL" else "invite.ics",
            "type": f"text/calendar; method={method}",
            "content": ics,
        }
        notice = notify(
            person,
            kind,
            meeting,
            context,
            url=_page(meeting),
            key=str(meeting.sequence),
            attachments=[attachment],
        )
        told += notice is not None
    return told


def meetings_cancel_planned(planned: QuerySet[Any], *, actor: User) -> int:
    """The match ended (finished, completed, cancelled): every meeting of it still planned is
    cancelled, and both people get the cancellation for their calendars.  Call inside the
    transaction that ended the match."""
    cancelled = 0
    # a meeting already past is history, not something to take out of calendars
    upcoming = planned.filter(status=SessionStatus.PLANNED, starts_at__gt=timezone.now())
    for meeting in upcoming.select_for_update():
        meeting_cancel(meeting, part="system", actor=actor)
        cancelled += 1
    return cancelled


def _context(meeting: Meeting, entry: presenters.CalendarEntry, person: User) -> dict[str, Any]:
    other = next((p for p in entry.attendees if p.pk != person.pk), person)
    return {
        "user": person,
        "title": entry.summary,
        "starts_at": meeting.starts_at,
        "duration": meeting.duration_minutes,
        "agenda": meeting.agenda,
        "meeting_url": meeting.meeting_url,
        "service": meeting_service(meeting.meeting_url),
        "other": other.display_name,
        "link": entry.page_url,
    }


# --- reminders -------------------------------------------------------------------------------


def meetings_remind(*, now: datetime | None = None) -> int:
    """Remind both people of each planned meeting a day before it and again an hour before,
    once each (per time: a rescheduled meeting is reminded again).  Skips cancelled meetings
    and those of a mentorship or engagement that is no longer active.  Returns how many
    reminders went."""
    now = now or timezone.now()
    sessions = MentorshipSession.objects.filter(
        status=SessionStatus.PLANNED, mentorship__status=MentorshipStatus.ACTIVE
    )
    milestone_meetings = MilestoneMeeting.objects.filter(
        status=SessionStatus.PLANNED, milestone__engagement__status=EngagementStatus.ACTIVE
    )
    return _remind_due(sessions, now) + _remind_due(milestone_meetings, now)


def _remind_due(planned: QuerySet[Any], now: datetime) -> int:
    told = 0
    # a day before: the meeting is claimed by its reminded_at, so it goes once
    day = planned.filter(
        reminded_at__isnull=True, starts_at__gt=now + HOUR_BEFORE, starts_at__lte=now + DAY_BEFORE
    )
    for meeting in in_batches(day):
        told += _remind(planned.model, meeting.pk, now, "day", claim=True)
    # an hour before: the notice's key (the time's sequence) makes it once
    hour = planned.filter(starts_at__gt=now, starts_at__lte=now + HOUR_BEFORE)
    for meeting in in_batches(hour):
        told += _remind(planned.model, meeting.pk, now, "hour", claim=False)
    return told


def _remind(model: type[Model], pk: int, now: datetime, when: str, *, claim: bool) -> int:
    with transaction.atomic():
        if claim:
            won = model._default_manager.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if won != 1:
                return 0
        meeting = _loaded(model, pk)
        told = 0
        for person in _entry(meeting).attendees:
            with reading_as(person):
                context = _context(meeting, _entry(meeting), person)
            context["when"] = when
            notice = notify(
                person,
                REMINDER,
                meeting,
                context,
                url=_page(meeting),
                key=f"{when}:{meeting.sequence}",
            )
            told += notice is not None
        return told


def _loaded(model: type[Model], pk: int) -> Meeting:
    if model is MentorshipSession:
        return MentorshipSession.objects.select_related(
            "mentorship__ask", "mentorship__mentor", "mentorship__mentee", "created_by"
        ).get(pk=pk)
    return MilestoneMeeting.objects.select_related(
        "milestone__engagement__ask",
        "milestone__engagement__client",
        "milestone__engagement__consultant",
        "created_by",
    ).get(pk=pk)


# --- the calendar feed -----------------------------------------------------------------------


def calendar_feed_token(user: User) -> str:
    """The secret of ``user``'s calendar feed, made on first use: 256 random bits, so it
    cannot be guessed, and it names one person (read back by
    ``selectors.calendar_feed_user``)."""
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"secret": secrets.token_urlsafe(32)}
    )
    return feed.secret


def calendar_feed_reset(*, user: User) -> str:
    """A new secret for ``user``'s feed (an address shared by mistake): the old one stops
    working at once."""
    secret = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"secret": secret})
    audit_record(actor=user, action="braingain.calendar_feed_reset", target=user)
    return secret
