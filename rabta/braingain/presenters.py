"""What the pages say about matches, sessions and certificates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from rabta.accounts.models import User
from rabta.braingain.models import Mentorship, MentorshipSession, MilestoneMeeting, SessionStatus
from rabta.core import pdf
from rabta.engine.matching import FULL_OVERLAP_MINUTES
from rabta.engine.taxonomy import taxonomy


def skill_labels(skill_ids: list[str] | tuple[str, ...]) -> list[str]:
    labels = []
    for skill_id in skill_ids:
        try:
            labels.append(taxonomy().skill(skill_id).label)
        except KeyError:
            continue
    return labels


def reasons(
    parts: dict[str, float], matched_skills: list[str] | tuple[str, ...], asked: int
) -> list[str]:
    """Why a contributor is suggested, one plain sentence per part of the fit."""
    lines = []
    if matched_skills:
        lines.append(
            _("Skills: %(skills)s (%(n)d of %(total)d asked for)")
            % {
                "skills": ", ".join(skill_labels(matched_skills)),
                "n": len(matched_skills),
                "total": asked,
            }
        )
    elif asked:
        lines.append(_("None of the skills asked for"))
    lines.append(_("Works in this sector") if parts.get("sector") else _("Works in another sector"))
    hours = round(parts.get("time_zone", 0) * FULL_OVERLAP_MINUTES / 60)
    lines.append(
        _("At least 4 waking hours in common with Pakistan")
        if hours >= 4
        else _("About %(h)d waking hours in common with Pakistan") % {"h": hours}
    )
    lines.append(
        _("Speaks the ask's language")
        if parts.get("language")
        else _("Does not list the ask's language")
    )
    lines.append(
        _("Has the hours a month it needs")
        if parts.get("time", 0) >= 1
        else _("Has %(p)d%% of the hours a month it needs")
        % {"p": round(parts.get("time", 0) * 100)}
    )
    lines.append(_("Load: %(p)d%% of their places free") % {"p": round(parts.get("load", 0) * 100)})
    return lines


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return timezone.localtime(moment, zone)


@dataclass(frozen=True)
class CalendarEntry:
    """One meeting as a calendar sees it: a mentorship session or a milestone meeting."""

    uid: str
    summary: str
    starts_at: datetime
    duration_minutes: int
    agenda: str
    meeting_url: str
    cancelled: bool
    sequence: int
    page_url: str
    organiser: User
    attendees: tuple[User, ...]


def _uid(kind: str, pk: int) -> str:
    """Stable for the meeting's whole life, so an update or a cancellation replaces the event
    a calendar already holds."""
    host = urlsplit(settings.SITE_URL).hostname or "rabta.pec.org.pk"
    return f"bg-{kind}-{pk}@{host}"


def session_entry(session: MentorshipSession) -> CalendarEntry:
    """Call with the session's mentorship (and its ask and people) loaded."""
    mentorship = session.mentorship
    return CalendarEntry(
        uid=_uid("session", session.pk),
        summary=f"{mentorship.get_kind_display()}: {mentorship.ask.title}"[:200],
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        agenda=session.agenda,
        meeting_url=session.meeting_url,
        cancelled=session.status == SessionStatus.CANCELLED,
        sequence=session.sequence,
        page_url=settings.SITE_URL + reverse("braingain:mentorship", args=[mentorship.pk]),
        organiser=session.created_by or mentorship.mentor,
        attendees=(mentorship.mentor, mentorship.mentee),
    )


def milestone_meeting_entry(meeting: MilestoneMeeting) -> CalendarEntry:
    """Call with the meeting's milestone, engagement, ask and people loaded."""
    milestone = meeting.milestone
    engagement = milestone.engagement
    return CalendarEntry(
        uid=_uid("meeting", meeting.pk),
        summary=f"{milestone.title} \u2014 {engagement.ask.title}"[:200],
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        agenda=meeting.agenda,
        meeting_url=meeting.meeting_url,
        cancelled=meeting.status == SessionStatus.CANCELLED,
        sequence=meeting.sequence,
        page_url=settings.SITE_URL + reverse("braingain:engagement", args=[engagement.pk]),
        organiser=meeting.created_by or engagement.consultant,
        # another member of the client institution who planned it is asked too
        attendees=tuple(
            {
                p.pk: p for p in (engagement.consultant, engagement.client, meeting.created_by) if p
            }.values()
        ),
    )


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name[:100])
    return address


def _event(entry: CalendarEntry, method: str, stamp: datetime, reader: User) -> Event:
    """The VEVENT of ``entry``: its start in the organiser's own zone (with that zone's
    VTIMEZONE added to the calendar), so the time reads as they chose it and each attendee's
    calendar converts it, across a daylight-saving change too."""
    zone = entry.organiser.zone
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("duration", timedelta(minutes=entry.duration_minutes))
    event.add("summary", entry.summary)
    lines = [entry.agenda] if entry.agenda else []
    if entry.meeting_url:
        lines.append(_("Join: %(link)s") % {"link": entry.meeting_url})
    lines.append(_("On Rabta: %(link)s") % {"link": entry.page_url})
    event.add("description", "\n\n".join(lines))
    if entry.meeting_url:
        event.add("location", entry.meeting_url)
    event.add("url", entry.meeting_url or entry.page_url)
    # Nobody's address reaches the other side (people talk inside Rabta): the organiser is
    # named but written as the platform's sending address, and the one attendee is the
    # reader, whose own copy this is.  No RSVP: answers go through Rabta, not by mail.
    event.add("organizer", _address(settings.DEFAULT_FROM_EMAIL, entry.organiser.display_name))
    if any(person.pk == reader.pk for person in entry.attendees):
        attendee = _address(reader.email, reader.display_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        event.add("attendee", attendee, encode=False)
    event.add("status", "CANCELLED" if entry.cancelled or method == "CANCEL" else "CONFIRMED")
    if method != "CANCEL" and not entry.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary[:120])
        alarm.add("trigger", timedelta(minutes=-30))
        event.add_component(alarm)
    return event


def calendar_ics(
    entries: list[CalendarEntry], *, reader: User, method: str = "PUBLISH", name: str = ""
) -> bytes:
    """RFC 5545 calendar of ``entries`` as ``reader``'s copy, the one builder of every Brain
    Gain calendar file: ``REQUEST`` is an invite (or its update, with a higher SEQUENCE),
    ``CANCEL`` withdraws it under the same UID, ``PUBLISH`` is a download or a subscribed
    feed."""
    cal = Calendar()
    cal.add("prodid", "-//Pakistan Engineering Council//Rabta//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC)
    for entry in entries:
        cal.add_component(_event(entry, method, stamp, reader))
    cal.add_missing_timezones()
    return cal.to_ical()


def certificate_url(code: str) -> str:
    return settings.SITE_URL + reverse("braingain:certificate_verify", args=[code])


def certificate_pdf(mentorship: Mentorship, minutes: int) -> bytes:
    """A certificate of contribution for the contributor, with a QR code to verify it."""
    code = str(mentorship.certificate_code)
    kind = str(mentorship.get_kind_display())
    lines = [
        f"gave {minutes / 60:.1f} hours of {kind.lower()}",
        f"for \u201c{mentorship.ask.title[:90]}\u201d",
    ]
    if mentorship.agreed_at and mentorship.finished_at:
        lines.append(f"{mentorship.agreed_at:%d %B %Y} to {mentorship.finished_at:%d %B %Y}")
    return pdf.certificate_pdf(
        pdf.CertificateDocument(
            title="Certificate of Contribution",
            issuer=("Pakistan Engineering Council", "Brain Gain Portal"),
            name=mentorship.mentor.display_name,
            lines=tuple(lines),
            code=code,
            verify_url=certificate_url(code),
            document_title=f"Certificate of contribution {code}",
        )
    )
