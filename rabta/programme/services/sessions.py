"""Live sessions: the timetable, balanced participant groups, join links and calendars."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.services import audit_record
from rabta.programme.models import (
    Application,
    ApplicationState,
    Cohort,
    JoinLink,
    LiveSession,
    Track,
)
from rabta.programme.selectors import FEED_SALT, sessions_for_participant

# The curriculum, one track a day, evenings in Pakistan so that people with jobs can attend.
CURRICULUM = (
    Track.OPPORTUNITIES,
    Track.PLATFORMS,
    Track.PORTFOLIO,
    Track.FIRST_ENGAGEMENT,
    Track.PROFILING,
)


def _staff(actor: User) -> None:
    if not actor.has_perm("programme.change_cohort"):
        raise NotFound()


def timetable_create(
    *, actor: User, cohort_id: int, start: time = time(19, 0), hours: int = 2
) -> list[LiveSession]:
    """One session a day over the cohort's days, the tracks in order (the last day is each
    participant's profiling results).  Refused when the cohort already has sessions."""
    _staff(actor)
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().filter(pk=cohort_id).first()
        if cohort is None:
            raise NotFound()
        if cohort.sessions.exists():
            raise DomainError(ErrorCode.CONFLICT, _("This cohort already has a timetable."))
        tz = ZoneInfo(cohort.time_zone)
        days = (cohort.ends_on - cohort.starts_on).days + 1
        sessions = []
        for index in range(days):
            track = CURRICULUM[min(index, len(CURRICULUM) - 1)]
            day = cohort.starts_on + timedelta(days=index)
            begins = datetime.combine(day, start, tzinfo=tz)
            sessions.append(
                LiveSession(
                    cohort=cohort,
                    track=track,
                    title=str(Track(track).label),
                    starts_at=begins,
                    ends_at=begins + timedelta(hours=hours),
                )
            )
        LiveSession.objects.bulk_create(sessions)
        audit_record(
            actor=actor, action="programme.timetable_created", target=cohort, sessions=len(sessions)
        )
    return list(cohort.sessions.all())


def groups_assign(*, actor: User, cohort_id: int) -> int:
    """Split confirmed participants into the fewest groups that fit the webinar room cap,
    sizes differing by at most one, each group with the same mix of provinces and genders.
    Deterministic: the same participants always get the same groups."""
    _staff(actor)
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().filter(pk=cohort_id).first()
        if cohort is None:
            raise NotFound()
        participants = list(
            Application.objects.filter(cohort=cohort, state=ApplicationState.CONFIRMED).order_by(
                "province", "gender", "pk"
            )
        )
        count = max(1, math.ceil(len(participants) / cohort.room_cap))
        for index, application in enumerate(participants):
            application.group_number = index % count + 1
        Application.objects.bulk_update(participants, ["group_number"], batch_size=2000)
        audit_record(
            actor=actor,
            action="programme.groups_assigned",
            target=cohort,
            groups=count,
            participants=len(participants),
        )
    return count


def join_link_set(*, actor: User, session_id: int, group_number: int, url: str) -> JoinLink:
    _staff(actor)
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError as exc:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Enter the https:// link of the room."),
            fields={"url": [_("Enter the https:// link of the room.")]},
        ) from exc
    if group_number < 1 or group_number > 100:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Choose a group number."),
            fields={"group_number": [_("Choose a group number.")]},
        )
    link, _created = JoinLink.objects.update_or_create(
        session=session, group_number=group_number, defaults={"url": url}
    )
    audit_record(actor=actor, action="programme.join_link_set", target=session, group=group_number)
    return link


def calendar_feed_token(application: Application) -> str:
    """The credential of a participant's calendar feed (read back by
    ``selectors.application_for_feed_token``)."""
    return signing.dumps({"a": application.pk}, salt=FEED_SALT)


def calendar_ics(*, application: Application) -> bytes:
    """RFC 5545 calendar of the participant's sessions, in the cohort's time zone, each with
    a reminder 30 minutes before and the participant's own join link."""
    cohort = application.cohort
    cal = Calendar()
    cal.add("prodid", "-//Pakistan Engineering Council//Rabta//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", cohort.name)
    cal.add("x-wr-timezone", cohort.time_zone)
    tz = ZoneInfo(cohort.time_zone)
    page = settings.SITE_URL + reverse("programme:application", args=[cohort.slug])
    stamp = timezone.now()
    for session, link in sessions_for_participant(application=application):
        event = Event()
        event.add("uid", f"session-{session.pk}-application-{application.pk}@rabta.pec.org.pk")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(tz))
        event.add("dtend", session.ends_at.astimezone(tz))
        event.add("summary", f"{cohort.name}: {session.title}")
        event.add(
            "description",
            (_("Join: %(link)s") % {"link": link})
            if link
            else _("Your join link appears on Rabta before the session."),
        )
        event.add("url", link or page)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", session.title)
        alarm.add("trigger", timedelta(minutes=-30))
        event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
