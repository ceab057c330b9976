"""What the pages say about matches, sessions and certificates."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from rabta.braingain.models import Mentorship, MentorshipSession
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


def session_ics(session: MentorshipSession, mentorship: Mentorship) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Pakistan Engineering Council//Rabta//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"bg-session-{session.pk}@rabta.pec.org.pk")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(ZoneInfo("UTC")))
    event.add(
        "dtend",
        (session.starts_at + timedelta(minutes=session.duration_minutes)).astimezone(
            ZoneInfo("UTC")
        ),
    )
    event.add("summary", f"{mentorship.get_kind_display()}: {mentorship.ask.title}"[:200])
    if session.agenda:
        event.add("description", session.agenda)
    event.add("url", settings.SITE_URL + reverse("braingain:mentorship", args=[mentorship.pk]))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", mentorship.ask.title[:120])
    alarm.add("trigger", timedelta(minutes=-30))
    event.add_component(alarm)
    cal.add_component(event)
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
