"""What the pages say about matches, sessions and certificates."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from rabta.braingain.models import Mentorship, MentorshipSession
from rabta.engine.matching import FULL_OVERLAP_MINUTES
from rabta.engine.taxonomy import taxonomy
from rabta.programme.certificates import qr_draw


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
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Certificate of contribution {mentorship.certificate_code}")
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawCentredString(width / 2, height - 130, "Certificate of Contribution")
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 170, "Pakistan Engineering Council")
    pdf.drawCentredString(width / 2, height - 192, "Brain Gain Portal")
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(width / 2, height - 260, mentorship.mentor.display_name[:80])
    pdf.setFont("Helvetica", 14)
    kind = str(mentorship.get_kind_display())
    pdf.drawCentredString(
        width / 2, height - 295, f"gave {minutes / 60:.1f} hours of {kind.lower()}"
    )
    pdf.drawCentredString(width / 2, height - 318, f"for \u201c{mentorship.ask.title[:90]}\u201d")
    if mentorship.agreed_at and mentorship.finished_at:
        pdf.drawCentredString(
            width / 2,
            height - 341,
            f"{mentorship.agreed_at:%d %B %Y} to {mentorship.finished_at:%d %B %Y}",
        )
    url = certificate_url(str(mentorship.certificate_code))
    qr_draw(pdf, url, width - 170, 50)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, 80, f"Certificate code: {mentorship.certificate_code}")
    pdf.drawString(60, 64, f"Verify at {url}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
