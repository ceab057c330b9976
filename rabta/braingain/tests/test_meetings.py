"""Meetings with links and calendar invites: the link check, sessions and milestone meetings
planned, moved and cancelled (one UID, a rising SEQUENCE), the invites both people get by email,
reminders sent once, each person's calendar feed, and every meeting URL refused to everyone
else with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.braingain import services, tasks
from rabta.braingain.models import (
    Engagement,
    EngagementStatus,
    Mentorship,
    MentorshipSession,
    MentorshipStatus,
    MilestoneMeeting,
    SessionStatus,
)
from rabta.braingain.services import meetings
from rabta.braingain.tests.conftest import (
    MILESTONES,
    contributor,
    engineer,
    institution_rep,
    post_ask,
    project,
    staff,
)
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.models import AuditLog, Email, Notification

pytestmark = pytest.mark.django_db

UTC = dt.UTC
TORONTO = ZoneInfo("America/Toronto")
ZOOM = "https://us02web.zoom.us/j/8123456789?pwd=abc"
MEET = "https://meet.google.com/abc-defg-hij"
OTHER = "https://video.example.org/room/42"
HOSTILE = '<script>alert("x")</script>\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil; a, b'


def _at(days: int, hour: int = 12) -> dt.datetime:
    """A whole hour ``days`` from today, in UTC."""
    day = timezone.now().astimezone(UTC).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _mentorship(mentor_zone: str = "Europe/London") -> tuple[Mentorship, Any, Any]:
    seeker = engineer()
    seeker.time_zone = "Asia/Karachi"
    seeker.save(update_fields=["time_zone"])
    mentor = contributor(time_zone=mentor_zone)
    ask = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    services.request_respond(user=mentor, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get(request=request)
    Mentorship.objects.filter(pk=mentorship.pk).update(status=MentorshipStatus.ACTIVE)
    mentorship.refresh_from_db()
    return mentorship, mentor, seeker


def _engagement() -> tuple[Engagement, Any, Any]:
    rep, institution = institution_rep()
    consultant = contributor(capacity=5, time_zone="America/Toronto")
    ask = project(rep, institution)
    proposal = services.proposal_submit(
        user=consultant, ask_id=ask.pk, price_usd=Decimal("3000"), plan="x", milestones=MILESTONES
    )
    engagement = services.proposal_award(user=rep, proposal_id=proposal.pk)
    Engagement.objects.filter(pk=engagement.pk).update(status=EngagementStatus.ACTIVE)
    engagement.refresh_from_db()
    return engagement, consultant, rep


def _plan(mentorship: Mentorship, user: Any, **overrides: Any) -> MentorshipSession:
    fields: dict[str, Any] = {
        "starts_at": _at(3),
        "duration_minutes": 60,
        "agenda": "Battery sizing",
        "meeting_url": ZOOM,
    }
    fields.update(overrides)
    return services.session_schedule(user=user, mentorship_id=mentorship.pk, **fields)


def _ics(email: Email) -> Calendar:
    (attachment,) = email.attachments
    return Calendar.from_ical(attachment["content"])


def _event(calendar: Calendar) -> Any:
    (event,) = calendar.walk("VEVENT")
    return event


def _address(value: Any) -> str:
    return str(value).removeprefix("mailto:")


# --- the link --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "service"),
    [
        ("https://zoom.us/j/8123456789", "Zoom"),
        (ZOOM, "Zoom"),
        ("https://ZOOM.US/j/1", "Zoom"),
        ("https://acme.zoom.us:443/j/1", "Zoom"),
        (
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0",
            "Microsoft Teams",
        ),
        ("https://teams.live.com/meet/9312345", "Microsoft Teams"),
        (MEET, "Google Meet"),
        ("https://meet.jit.si/RabtaSolarReview", "Jitsi"),
        ("https://8x8.vc/vpaas-magic-cookie/room", "Jitsi"),
        # other https hosts: allowed, not recognised (the page warns)
        (OTHER, ""),
        ("https://zoom.us.evil.com/j/1", ""),
        ("https://evil.com/zoom.us/j/1", ""),
        ("https://evil.com/?u=https://zoom.us/j/1", ""),
        ("https://evilzoom.us/j/1", ""),
        ("https://meet.google.com.evil.com/abc", ""),
        ("https://evil.teams.microsoft.com/x", ""),
        ("https://xn--zm-jbca.us/j/1", ""),  # punycode of a look-alike
        ("https://zoom.us:8443/j/1", ""),
        ("https://10.0.0.7/room", ""),
    ],
)
def test_a_meeting_link_is_recognised_by_its_host_alone(url, service):
    link = services.meeting_link_check(url)
    assert link.url == url
    assert link.service == service
    assert services.meeting_service(url) == service


@pytest.mark.parametrize(
    "url",
    [
        "http://zoom.us/j/1",
        "javascript:alert(1)",
        "JavaScript://zoom.us/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "mailto:someone@zoom.us",
        "ftp://zoom.us/j/1",
        "zoom.us/j/1",
        "//zoom.us/j/1",
        "https:///zoom.us/j/1",
        "https:zoom.us/j/1",
        "https://zoom.us@evil.com/j/1",
        "https://user:pass@zoom.us/j/1",
        "https://evil.com\\@zoom.us/j/1",
        "https://evil.com\\.zoom.us/j/1",
        "https://zoom.us/j/1 onmouseover=x",
        "https://zoom.us/\tj/1",
        "https://zoom.us/j/1\r\nX: y",
        "https://z\u043e\u043em.us/j/1",  # Cyrillic o: an IDN look-alike
        "https://zoom%2eus/j/1",
        "https://[::1]/j/1",
        "https://zoom.us:99999/j/1",
        "https://zoom.us/j/" + "1" * 490,
    ],
)
def test_a_meeting_link_that_is_not_plain_https_is_refused_with_a_coded_error(url):
    with pytest.raises(DomainError) as refused:
        services.meeting_link_check(url)
    assert refused.value.code == ErrorCode.VALIDATION_ERROR
    assert list(refused.value.fields) == ["meeting_url"]
    assert services.meeting_service(url) == ""


def test_an_empty_link_is_no_link():
    assert services.meeting_link_check("  ") == meetings.MeetingLink("", "")


# --- sessions: plan, move, cancel ------------------------------------------------------------


def test_planning_a_session_sends_both_people_the_invite_in_their_own_zone():
    mentorship, mentor, seeker = _mentorship()
    starts = _at(3, 12)

    session = _plan(mentorship, mentor, starts_at=starts)

    assert (session.status, session.sequence, session.meeting_url) == ("planned", 0, ZOOM)
    emails = {e.user_id: e for e in Email.objects.filter(kind=meetings.INVITE)}
    assert set(emails) == {mentor.pk, seeker.pk}
    for person in (mentor, seeker):
        email = emails[person.pk]
        assert email.attachments[0]["name"] == "invite.ics"
        assert email.attachments[0]["type"] == "text/calendar; method=REQUEST"
        calendar = _ics(email)
        event = _event(calendar)
        assert str(calendar["method"]) == "REQUEST"
        assert str(event["uid"]) == f"bg-session-{session.pk}@127.0.0.1"
        assert event["sequence"] == 0
        assert event.decoded("dtstart").tzinfo.key == "Europe/London"  # the organiser's zone
        assert event["dtstart"].params["TZID"] == "Europe/London"
        assert event.decoded("dtstart").astimezone(UTC) == starts
        assert event.decoded("duration") == dt.timedelta(minutes=60)
        assert str(event["location"]) == ZOOM
        assert str(event["url"]) == ZOOM
        assert ZOOM in str(event["description"])
        # named, but nobody's address reaches the other side: the reader alone is listed
        assert _address(event["organizer"]) == settings.DEFAULT_FROM_EMAIL
        assert str(event["organizer"].params["CN"]) == mentor.display_name
        assert _address(event["attendee"]) == person.email
        other = seeker if person == mentor else mentor
        assert other.email not in email.attachments[0]["content"]
        assert "RSVP" not in email.attachments[0]["content"]
        assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    local = starts.astimezone(ZoneInfo("Asia/Karachi"))
    assert f"{local.day} {local:%b %Y, %H:%M} (Asia/Karachi)" in emails[seeker.pk].text
    london = starts.astimezone(ZoneInfo("Europe/London"))
    assert f"{london.day} {london:%b %Y, %H:%M} (Europe/London)" in emails[mentor.pk].text
    assert "Join: " + ZOOM in emails[seeker.pk].text
    assert "not a meeting service we recognise" not in emails[seeker.pk].text


def test_moving_and_cancelling_keep_the_uid_and_raise_the_sequence():
    mentorship, mentor, seeker = _mentorship()
    session = _plan(mentorship, mentor)
    MentorshipSession.objects.filter(pk=session.pk).update(reminded_at=timezone.now())
    later = _at(4, 15)

    moved = services.session_reschedule(
        user=seeker, session_id=session.pk, starts_at=later, duration_minutes=90, meeting_url=MEET
    )

    assert (moved.sequence, moved.starts_at, moved.duration_minutes) == (1, later, 90)
    assert (moved.meeting_url, moved.agenda, moved.reminded_at) == (MEET, "Battery sizing", None)
    changed = Email.objects.filter(kind=meetings.CHANGED)
    assert changed.count() == 2
    event = _event(_ics(changed.get(user=mentor)))
    assert str(event["uid"]) == f"bg-session-{session.pk}@127.0.0.1"
    assert event["sequence"] == 1
    assert event.decoded("dtstart").astimezone(UTC) == later
    assert str(event["organizer"].params["CN"]) == mentor.display_name  # one organiser

    services.session_cancel(user=mentor, session_id=session.pk)

    session.refresh_from_db()
    assert (session.status, session.sequence) == (SessionStatus.CANCELLED, 2)
    cancelled = Email.objects.filter(kind=meetings.CANCELLED)
    assert {e.user_id for e in cancelled} == {mentor.pk, seeker.pk}
    email = cancelled.get(user=seeker)
    assert email.attachments[0]["type"] == "text/calendar; method=CANCEL"
    calendar = _ics(email)
    event = _event(calendar)
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == f"bg-session-{session.pk}@127.0.0.1"
    assert event["sequence"] == 2
    assert list(
        AuditLog.objects.filter(action__startswith="session.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["session.schedule", "session.reschedule", "session.cancel"]


def test_a_move_that_changes_nothing_or_a_cancelled_session_is_refused():
    mentorship, mentor, _seeker = _mentorship()
    session = _plan(mentorship, mentor)
    with pytest.raises(DomainError):
        services.session_reschedule(
            user=mentor,
            session_id=session.pk,
            starts_at=session.starts_at,
            duration_minutes=60,
            meeting_url=ZOOM,
        )
    services.session_cancel(user=mentor, session_id=session.pk)
    with pytest.raises(DomainError) as refused:
        services.session_reschedule(
            user=mentor,
            session_id=session.pk,
            starts_at=_at(5),
            duration_minutes=60,
            meeting_url=ZOOM,
        )
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    session.refresh_from_db()
    assert (session.status, session.sequence, session.starts_at) == ("cancelled", 1, _at(3))
    assert Email.objects.filter(kind=meetings.CHANGED).count() == 0


def test_a_bad_link_plans_nothing():
    mentorship, mentor, _seeker = _mentorship()
    with pytest.raises(DomainError):
        _plan(mentorship, mentor, meeting_url="javascript:alert(1)")
    assert MentorshipSession.objects.count() == 0
    assert Email.objects.filter(kind__startswith="braingain.meeting").count() == 0


def test_the_invite_email_reaches_both_people_with_a_calendar_part(
    smtp_server, django_capture_on_commit_callbacks
):
    mentorship, mentor, seeker = _mentorship()
    with django_capture_on_commit_callbacks(execute=True):
        session = _plan(mentorship, mentor, meeting_url=OTHER)
    received: dict[str, EmailMessage] = {m["To"]: m for m in smtp_server.messages}
    assert set(received) == {mentor.email, seeker.email}
    for message in received.values():
        (part,) = list(message.iter_attachments())
        assert part.get_content_type() == "text/calendar"
        assert part.get_param("method") == "REQUEST"
        assert part.get_filename() == "invite.ics"
        event = _event(Calendar.from_ical(part.get_content()))
        assert str(event["uid"]) == f"bg-session-{session.pk}@127.0.0.1"
        text = message.get_body(("plain",)).get_content()
        assert "not a meeting service we recognise" in text
    assert set(Email.objects.filter(kind=meetings.INVITE).values_list("state", flat=True)) == {
        "sent"
    }


# --- the time zone across a daylight-saving change -------------------------------------------


def _november_change(now: dt.datetime) -> dt.date:
    """The next first Sunday of November (the end of daylight time in Toronto) at least three
    days away."""
    for year in (now.year, now.year + 1):
        first = dt.date(year, 11, 1)
        sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7)
        if sunday - dt.timedelta(days=3) > now.date():
            return sunday
    raise AssertionError("unreachable")


def test_a_toronto_session_moved_across_the_november_change_keeps_its_local_time(
    client, monkeypatch
):
    monkeypatch.setattr(meetings, "AHEAD_ALLOWED", dt.timedelta(days=400))
    mentorship, mentor, seeker = _mentorship(mentor_zone="America/Toronto")
    change = _november_change(timezone.now())
    friday, monday = change - dt.timedelta(days=2), change + dt.timedelta(days=1)
    client.force_login(mentor)
    page = reverse("braingain:mentorship", args=[mentorship.pk])

    response = client.post(
        page,
        {
            "action": "schedule",
            "day": friday.isoformat(),
            "at": "10:00",
            "zone": "America/Toronto",
            "duration_minutes": "60",
            "agenda": "",
            "meeting_url": MEET,
        },
    )
    assert response.status_code == 302
    session = MentorshipSession.objects.get()
    assert session.starts_at == dt.datetime.combine(friday, dt.time(14), tzinfo=UTC)  # EDT
    response = client.post(
        page,
        {
            "action": "reschedule",
            "session": session.pk,
            f"reschedule-{session.pk}-day": monday.isoformat(),
            f"reschedule-{session.pk}-at": "10:00",
            f"reschedule-{session.pk}-zone": "America/Toronto",
            f"reschedule-{session.pk}-duration_minutes": "60",
            f"reschedule-{session.pk}-agenda": "",
            f"reschedule-{session.pk}-meeting_url": MEET,
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == dt.datetime.combine(monday, dt.time(15), tzinfo=UTC)  # EST

    for kind, day, utc_hour, karachi in (
        (meetings.INVITE, friday, 14, "19:00"),
        (meetings.CHANGED, monday, 15, "20:00"),
    ):
        calendar = _ics(Email.objects.get(kind=kind, user=seeker))
        event = _event(calendar)
        assert event["dtstart"].params["TZID"] == "America/Toronto"
        assert event["dtstart"].to_ical() == f"{day:%Y%m%d}T100000".encode()
        assert event.decoded("dtstart").astimezone(UTC) == dt.datetime.combine(
            day, dt.time(utc_hour), tzinfo=UTC
        )
        zone = calendar.walk("VTIMEZONE")[0]
        assert str(zone["tzid"]) == "America/Toronto"
        assert f"{change:%Y%m%d}T020000" in zone.to_ical().decode()  # the change is in it
        text = Email.objects.get(kind=kind, user=seeker).text
        assert f"{day.day} {day:%b %Y}, {karachi} (Asia/Karachi)" in text
        mentor_text = Email.objects.get(kind=kind, user=mentor).text
        assert f"{day.day} {day:%b %Y}, 10:00 (America/Toronto)" in mentor_text


# --- milestone meetings ----------------------------------------------------------------------


def test_a_milestone_meeting_is_planned_moved_and_cancelled_by_either_side():
    engagement, consultant, rep = _engagement()
    milestone = engagement.milestones.order_by("position").first()

    meeting = services.milestone_meeting_schedule(
        user=rep,
        milestone_id=milestone.pk,
        starts_at=_at(2, 9),
        duration_minutes=30,
        agenda="Site survey scope",
        meeting_url="https://teams.microsoft.com/l/meetup-join/abc",
    )
    invite = _event(_ics(Email.objects.get(kind=meetings.INVITE, user=consultant)))
    assert str(invite["uid"]) == f"bg-meeting-{meeting.pk}@127.0.0.1"
    assert str(invite["organizer"].params["CN"]) == rep.display_name
    assert _address(invite["attendee"]) == consultant.email
    assert (
        rep.email
        not in Email.objects.get(kind=meetings.INVITE, user=consultant).attachments[0]["content"]
    )
    assert milestone.title in str(invite["summary"])

    services.milestone_meeting_reschedule(
        user=consultant,
        meeting_id=meeting.pk,
        starts_at=_at(2, 10),
        duration_minutes=30,
        meeting_url="https://teams.microsoft.com/l/meetup-join/abc",
    )
    services.milestone_meeting_cancel(user=rep, meeting_id=meeting.pk)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.starts_at) == ("cancelled", 2, _at(2, 10))
    sequences = [
        (e.kind, _event(_ics(e))["sequence"], str(_event(_ics(e))["uid"]))
        for e in Email.objects.filter(
            user=consultant, kind__startswith="braingain.meeting"
        ).order_by("pk")
    ]
    uid = f"bg-meeting-{meeting.pk}@127.0.0.1"
    assert sequences == [
        (meetings.INVITE, 0, uid),
        (meetings.CHANGED, 1, uid),
        (meetings.CANCELLED, 2, uid),
    ]


def test_no_meetings_before_the_contract_is_signed_or_for_staff():
    engagement, consultant, rep = _engagement()
    milestone = engagement.milestones.first()
    Engagement.objects.filter(pk=engagement.pk).update(status=EngagementStatus.CONTRACTING)
    for person in (consultant, staff()):
        with pytest.raises(DomainError):
            services.milestone_meeting_schedule(
                user=person, milestone_id=milestone.pk, starts_at=_at(2), duration_minutes=30
            )
    assert MilestoneMeeting.objects.count() == 0


# --- reminders -------------------------------------------------------------------------------


def test_reminders_go_once_a_day_before_and_once_an_hour_before():
    mentorship, mentor, seeker = _mentorship()
    engagement, consultant, rep = _engagement()
    now = timezone.now()
    session = _plan(mentorship, mentor, starts_at=now + dt.timedelta(hours=23))
    services.milestone_meeting_schedule(
        user=consultant,
        milestone_id=engagement.milestones.first().pk,
        starts_at=now + dt.timedelta(hours=20),
        duration_minutes=30,
    )
    gone = _plan(mentorship, seeker, starts_at=now + dt.timedelta(hours=22))
    services.session_cancel(user=seeker, session_id=gone.pk)
    far = _plan(mentorship, seeker, starts_at=now + dt.timedelta(hours=50))

    assert services.meetings_remind(now=now) == 4
    assert services.meetings_remind(now=now) == 0
    assert services.meetings_remind(now=now + dt.timedelta(minutes=15)) == 0

    reminders = Notification.objects.filter(kind=meetings.REMINDER)
    assert sorted(reminders.values_list("user_id", flat=True)) == sorted(
        [mentor.pk, seeker.pk, consultant.pk, rep.pk]
    )
    session.refresh_from_db()
    far.refresh_from_db()
    assert session.reminded_at == now
    assert far.reminded_at is None
    assert MentorshipSession.objects.get(pk=gone.pk).reminded_at is None
    email = Email.objects.get(kind=meetings.REMINDER, user=seeker)
    assert email.attachments == []
    assert email.subject.startswith("Coming up: ")

    hour_before = now + dt.timedelta(hours=22, minutes=15)
    assert services.meetings_remind(now=hour_before) == 2  # the session, within the hour
    assert services.meetings_remind(now=hour_before + dt.timedelta(minutes=15)) == 0
    assert Email.objects.get(kind=meetings.REMINDER, user=mentor, key__endswith=":hour:0")
    assert reminders.count() == 6
    assert not reminders.filter(user=consultant, key__contains=":hour:").exists()  # it began


def test_a_moved_meeting_is_reminded_again_and_the_task_records_its_run():
    mentorship, mentor, _seeker = _mentorship()
    now = timezone.now()
    session = _plan(mentorship, mentor, starts_at=now + dt.timedelta(hours=5))
    assert services.meetings_remind(now=now) == 2
    services.session_reschedule(
        user=mentor,
        session_id=session.pk,
        starts_at=now + dt.timedelta(hours=6),
        duration_minutes=60,
        meeting_url=ZOOM,
    )
    assert services.meetings_remind(now=now) == 2
    assert services.meetings_remind(now=now) == 0

    outcome = tasks.meetings_remind_task()
    assert outcome.message == "0 reminded"


# --- pages -----------------------------------------------------------------------------------


def test_the_page_names_the_service_or_warns_and_escapes_the_agenda(client):
    mentorship, mentor, seeker = _mentorship()
    _plan(mentorship, mentor, meeting_url=ZOOM, agenda=HOSTILE)
    _plan(mentorship, mentor, meeting_url=OTHER, starts_at=_at(4))
    client.force_login(seeker)
    html = client.get(reverse("braingain:mentorship", args=[mentorship.pk])).content.decode()
    assert "Join on Zoom" in html
    assert f'href="{OTHER}"' in html
    assert html.count("not a meeting service we recognise") == 1
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "/brain-gain/calendar/" in html  # the subscribe link


def test_a_hostile_agenda_stays_one_escaped_text_in_the_calendar_file(client):
    mentorship, mentor, seeker = _mentorship()
    session = _plan(mentorship, mentor, agenda=HOSTILE[:300])
    client.force_login(seeker)
    response = client.get(reverse("braingain:session_ics", args=[session.pk]))
    assert response.status_code == 200
    raw = response.content.decode()
    assert raw.count("\r\nBEGIN:VEVENT\r\n") == 1  # the agenda's copy is escaped text
    assert "\r\nUID:evil" not in raw
    event = _event(Calendar.from_ical(response.content))
    assert str(event["description"]).startswith(HOSTILE.replace("\r\n", "\n")[:60])
    assert str(event["uid"]) == f"bg-session-{session.pk}@127.0.0.1"


def test_a_bad_link_on_the_form_is_shown_on_its_field_and_plans_nothing(client):
    mentorship, mentor, _seeker = _mentorship()
    client.force_login(mentor)
    day = _at(3).date()
    response = client.post(
        reverse("braingain:mentorship", args=[mentorship.pk]),
        {
            "action": "schedule",
            "day": day.isoformat(),
            "at": "10:00",
            "zone": "Asia/Karachi",
            "duration_minutes": "60",
            "meeting_url": "http://zoom.us/j/1",
        },
    )
    assert response.status_code == 200
    assert "Share a secure meeting link: it starts with https://." in response.content.decode()
    assert MentorshipSession.objects.count() == 0


def test_the_engagement_page_plans_a_meeting_and_offers_its_calendar_file(client):
    engagement, consultant, rep = _engagement()
    milestone = engagement.milestones.first()
    client.force_login(consultant)
    page = reverse("braingain:engagement", args=[engagement.pk])
    day = _at(3).date()
    prefix = f"meet-{milestone.pk}"
    response = client.post(
        page,
        {
            "action": "meeting_schedule",
            "milestone": milestone.pk,
            f"{prefix}-day": day.isoformat(),
            f"{prefix}-at": "09:30",
            f"{prefix}-zone": "America/Toronto",
            f"{prefix}-duration_minutes": "45",
            f"{prefix}-agenda": HOSTILE[:300],
            f"{prefix}-meeting_url": "https://meet.jit.si/RabtaSurvey",
        },
    )
    assert response.status_code == 302
    meeting = MilestoneMeeting.objects.get()
    assert meeting.starts_at == dt.datetime.combine(day, dt.time(9, 30), tzinfo=TORONTO)
    client.force_login(rep)
    html = client.get(page).content.decode()
    assert "Join on Jitsi" in html
    assert reverse("braingain:meeting_ics", args=[meeting.pk]) in html
    assert "<script>alert" not in html
    ics = client.get(reverse("braingain:meeting_ics", args=[meeting.pk]))
    assert ics.status_code == 200
    assert (
        str(_event(Calendar.from_ical(ics.content))["uid"]) == f"bg-meeting-{meeting.pk}@127.0.0.1"
    )


def test_the_pages_read_meetings_in_a_fixed_number_of_queries(client):
    mentorship, mentor, _seeker = _mentorship()
    engagement, consultant, _rep = _engagement()
    milestone = engagement.milestones.first()
    client.force_login(mentor)
    mentorship_page = reverse("braingain:mentorship", args=[mentorship.pk])
    engagement_page = reverse("braingain:engagement", args=[engagement.pk])

    def count(user: Any, url: str) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def plan_more(n: int) -> None:
        for i in range(n):
            _plan(mentorship, mentor, starts_at=_at(3 + i))
            services.milestone_meeting_schedule(
                user=consultant,
                milestone_id=milestone.pk,
                starts_at=_at(3 + i),
                duration_minutes=30,
            )

    count(mentor, mentorship_page), count(consultant, engagement_page)  # feed addresses made
    plan_more(2)
    few = count(mentor, mentorship_page), count(consultant, engagement_page)
    plan_more(4)
    assert (count(mentor, mentorship_page), count(consultant, engagement_page)) == few


# --- the calendar feed -----------------------------------------------------------------------


def test_each_person_has_a_feed_of_their_own_meetings_including_cancellations(client):
    mentorship, mentor, seeker = _mentorship()
    engagement, consultant, rep = _engagement()
    kept = _plan(mentorship, mentor)
    dropped = _plan(mentorship, mentor, starts_at=_at(4))
    services.session_cancel(user=seeker, session_id=dropped.pk)
    meeting = services.milestone_meeting_schedule(
        user=rep,
        milestone_id=engagement.milestones.first().pk,
        starts_at=_at(5),
        duration_minutes=30,
    )

    def feed(person: Any) -> dict[str, str]:
        token = services.calendar_feed_token(person)
        response = client.get(reverse("braingain:calendar_feed", args=[token]))  # no sign-in
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        events = Calendar.from_ical(response.content).walk("VEVENT")
        return {str(e["uid"]): str(e["status"]) for e in events}

    sessions = {
        f"bg-session-{kept.pk}@127.0.0.1": "CONFIRMED",
        f"bg-session-{dropped.pk}@127.0.0.1": "CANCELLED",
    }
    assert feed(seeker) == sessions
    assert feed(mentor) == sessions
    assert feed(consultant) == {f"bg-meeting-{meeting.pk}@127.0.0.1": "CONFIRMED"}
    assert feed(rep) == {f"bg-meeting-{meeting.pk}@127.0.0.1": "CONFIRMED"}
    assert feed(engineer()) == {}
    assert services.calendar_feed_token(seeker) != services.calendar_feed_token(mentor)


def test_a_guessed_altered_or_reset_feed_address_is_a_404():
    from django.test import Client

    mentorship, mentor, seeker = _mentorship()
    _plan(mentorship, mentor)
    good = services.calendar_feed_token(seeker)
    assert services.calendar_feed_token(seeker) == good  # one address per person, kept
    inactive = engineer()
    inactive_token = services.calendar_feed_token(inactive)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    forged = [
        "",
        "x",
        good[:-1] + ("A" if good[-1] != "A" else "B"),
        good.upper() if good.upper() != good else good.lower(),
        str(seeker.pk),
        inactive_token,
    ]
    anonymous = Client()
    for token in forged:
        url = f"/brain-gain/calendar/{token}.ics"
        assert anonymous.get(url).status_code == 404, token
    assert anonymous.get(reverse("braingain:calendar_feed", args=[good])).status_code == 200


def test_resetting_the_feed_address_kills_the_old_one(client):
    mentorship, mentor, seeker = _mentorship()
    old = services.calendar_feed_token(seeker)
    mentor_address = services.calendar_feed_token(mentor)
    page = reverse("braingain:mentorship", args=[mentorship.pk])
    client.force_login(seeker)

    response = client.post(reverse("braingain:calendar_feed_reset"), {"next": page})

    new = services.calendar_feed_token(seeker)
    assert response.status_code == 302
    assert response["Location"] == page + "#calendar-feed"
    assert new != old
    assert services.calendar_feed_token(mentor) == mentor_address  # nobody else's changes
    client.logout()
    assert client.get(reverse("braingain:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("braingain:calendar_feed", args=[new])).status_code == 200
    assert AuditLog.objects.filter(action="braingain.calendar_feed_reset", actor=seeker).exists()


def test_the_feed_reset_goes_back_only_to_this_site_and_only_by_post(client):
    _mentorship_, _mentor, seeker = _mentorship()
    old = services.calendar_feed_token(seeker)
    url = reverse("braingain:calendar_feed_reset")
    assert client.post(url).status_code == 302  # anonymous: to the login page
    assert services.calendar_feed_token(seeker) == old
    client.force_login(seeker)
    assert client.get(url).status_code == 405
    assert services.calendar_feed_token(seeker) == old

    response = client.post(url, {"next": "https://evil.example/steal"})

    assert response["Location"] == reverse("braingain:hub") + "#calendar-feed"


# --- wrong owners: every meeting URL against every other role --------------------------------


def _state() -> tuple[Any, ...]:
    return (
        list(
            MentorshipSession.objects.order_by("pk").values_list(
                "pk", "status", "sequence", "starts_at", "meeting_url"
            )
        ),
        list(
            MilestoneMeeting.objects.order_by("pk").values_list(
                "pk", "status", "sequence", "starts_at", "meeting_url"
            )
        ),
        Notification.objects.count(),
        Email.objects.count(),
    )


def _form(prefix: str, **extra: Any) -> dict[str, Any]:
    day = _at(6).date().isoformat()
    fields = {
        "day": day,
        "at": "11:00",
        "zone": "Asia/Karachi",
        "duration_minutes": "30",
        "agenda": "x",
        "meeting_url": MEET,
    }
    return {**{f"{prefix}{k}": v for k, v in fields.items()}, **extra}


def test_every_meeting_url_refuses_everyone_else_and_changes_nothing(client):
    mentorship, mentor, seeker = _mentorship()
    engagement, consultant, rep = _engagement()
    session = _plan(mentorship, mentor)
    milestone = engagement.milestones.first()
    meeting = services.milestone_meeting_schedule(
        user=rep, milestone_id=milestone.pk, starts_at=_at(3), duration_minutes=30
    )
    # parties of other matches, who try these ids on their own pages too
    other_mentorship, other_mentor, other_seeker = _mentorship()
    other_engagement, other_consultant, other_rep = _engagement()
    mentorship_page = reverse("braingain:mentorship", args=[mentorship.pk])
    engagement_page = reverse("braingain:engagement", args=[engagement.pk])
    own_mentorship = reverse("braingain:mentorship", args=[other_mentorship.pk])
    own_engagement = reverse("braingain:engagement", args=[other_engagement.pk])
    posts = [
        (mentorship_page, _form("", action="schedule")),
        (
            mentorship_page,
            _form(f"reschedule-{session.pk}-", action="reschedule", session=session.pk),
        ),
        (mentorship_page, {"action": "cancel_session", "session": session.pk}),
        (
            own_mentorship,
            _form(f"reschedule-{session.pk}-", action="reschedule", session=session.pk),
        ),
        (own_mentorship, {"action": "cancel_session", "session": session.pk}),
        (
            engagement_page,
            _form(f"meet-{milestone.pk}-", action="meeting_schedule", milestone=milestone.pk),
        ),
        (
            engagement_page,
            _form(f"remeet-{meeting.pk}-", action="meeting_reschedule", meeting=meeting.pk),
        ),
        (engagement_page, {"action": "meeting_cancel", "meeting": meeting.pk}),
        (
            own_engagement,
            _form(f"meet-{milestone.pk}-", action="meeting_schedule", milestone=milestone.pk),
        ),
        (
            own_engagement,
            _form(f"remeet-{meeting.pk}-", action="meeting_reschedule", meeting=meeting.pk),
        ),
        (own_engagement, {"action": "meeting_cancel", "meeting": meeting.pk}),
    ]
    files = [
        reverse("braingain:session_ics", args=[session.pk]),
        reverse("braingain:meeting_ics", args=[meeting.pk]),
    ]
    people = {
        "other mentor": other_mentor,
        "other mentee": other_seeker,
        "other consultant": other_consultant,
        "other client": other_rep,
        "engineer": engineer(),
        "contributor": contributor(),
        "institution rep": institution_rep()[0],
        "analyst": user_with_role(Role.COUNCIL_ANALYST),
        "staff": staff(),
    }
    before = _state()
    for role, person in people.items():
        login_with_second_factor(client, person)
        for url, data in posts:
            response = client.post(url, data)
            assert response.status_code in (200, 302, 404), (role, url, data["action"])
            assert _state() == before, (role, url, data["action"])
        for url in files:
            assert client.get(url).status_code == 404, (role, url)
        client.logout()
    for url, data in posts:
        assert client.post(url, data).status_code == 302  # anonymous: to the login page
    assert _state() == before


def test_services_refuse_wrong_owners_with_not_found_or_forbidden():
    mentorship, mentor, seeker = _mentorship()
    engagement, consultant, rep = _engagement()
    session = _plan(mentorship, mentor)
    meeting = services.milestone_meeting_schedule(
        user=rep,
        milestone_id=engagement.milestones.first().pk,
        starts_at=_at(3),
        duration_minutes=30,
    )
    before = _state()
    move = {"starts_at": _at(7), "duration_minutes": 30, "meeting_url": MEET}
    calls = [
        lambda u: services.session_schedule(
            user=u, mentorship_id=mentorship.pk, starts_at=_at(7), duration_minutes=30
        ),
        lambda u: services.session_reschedule(user=u, session_id=session.pk, **move),
        lambda u: services.session_cancel(user=u, session_id=session.pk),
        lambda u: services.milestone_meeting_schedule(
            user=u,
            milestone_id=engagement.milestones.first().pk,
            starts_at=_at(7),
            duration_minutes=30,
        ),
        lambda u: services.milestone_meeting_reschedule(user=u, meeting_id=meeting.pk, **move),
        lambda u: services.milestone_meeting_cancel(user=u, meeting_id=meeting.pk),
    ]
    for person in (consultant, rep, engineer(), staff()):
        for call in calls[:3]:
            with pytest.raises(DomainError):
                call(person)
    for person in (mentor, seeker, engineer(), staff()):
        for call in calls[3:]:
            with pytest.raises(DomainError):
                call(person)
    assert _state() == before


def test_ending_a_mentorship_cancels_its_planned_sessions_in_both_calendars():
    mentorship, mentor, seeker = _mentorship()
    planned = _plan(mentorship, mentor)
    held = _plan(mentorship, mentor, starts_at=_at(5))
    MentorshipSession.objects.filter(pk=held.pk).update(starts_at=_at(-1))
    services.session_hold(user=mentor, session_id=held.pk, notes="Sized the battery bank")

    services.mentorship_end(
        user=seeker, mentorship_id=mentorship.pk, reason="Moving abroad", rematch=False
    )

    planned.refresh_from_db()
    held.refresh_from_db()
    assert (planned.status, planned.sequence) == (SessionStatus.CANCELLED, 1)
    assert (held.status, held.sequence) == (SessionStatus.HELD, 0)  # history stays
    cancelled = Email.objects.filter(kind=meetings.CANCELLED)
    assert {e.user_id for e in cancelled} == {mentor.pk, seeker.pk}
    event = _event(_ics(cancelled.get(user=seeker)))
    assert (str(event["uid"]), event["sequence"]) == (f"bg-session-{planned.pk}@127.0.0.1", 1)


def test_cancelling_an_engagement_cancels_its_planned_meetings_and_nothing_else():
    engagement, consultant, rep = _engagement()
    milestone = engagement.milestones.order_by("position").first()
    meeting = services.milestone_meeting_schedule(
        user=rep,
        milestone_id=milestone.pk,
        starts_at=_at(2, 9),
        duration_minutes=30,
        agenda="Site survey scope",
        meeting_url=ZOOM,
    )
    other, _consultant, _rep = _engagement()
    untouched = services.milestone_meeting_schedule(
        user=_rep,
        milestone_id=other.milestones.order_by("position").first().pk,
        starts_at=_at(2, 9),
        duration_minutes=30,
        agenda="Another engagement",
        meeting_url=ZOOM,
    )

    services.engagement_cancel(user=rep, engagement_id=engagement.pk, reason="Funding ended")

    meeting.refresh_from_db()
    untouched.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (SessionStatus.CANCELLED, 1)
    assert (untouched.status, untouched.sequence) == (SessionStatus.PLANNED, 0)
    cancelled = Email.objects.filter(kind=meetings.CANCELLED)
    assert {e.user_id for e in cancelled} == {consultant.pk, rep.pk}
