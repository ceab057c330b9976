"""Live sessions, calendars, attendance imports, outage excuses and certificates."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import UserFactory, login_with_second_factor, user_with_role
from rabta.core.errors import DomainError
from rabta.programme.attendance_formats import minutes_within
from rabta.programme.models import (
    Application,
    Attendance,
    AttendanceImport,
    Certificate,
    JoinLink,
    LiveSession,
)
from rabta.programme.services import attendance, certificates, sessions
from rabta.programme.tests.factories import CohortFactory, verified_engineer

pytestmark = pytest.mark.django_db
DATA = Path(__file__).with_name("data")


@pytest.fixture
def staff():
    return user_with_role(Role.PROGRAMME_STAFF)


def confirmed(cohort, email=None, **profile):
    user = verified_engineer(**profile)
    if email:
        user.email = email
        user.save()
    return Application.objects.create(
        cohort=cohort,
        user=user,
        state="confirmed",
        province=user.engineer_profile.province,
        gender=user.engineer_profile.gender,
        submitted_at=timezone.now(),
    )


@pytest.fixture
def cohort(staff):
    cohort = CohortFactory(starts_on=date(2026, 4, 13), ends_on=date(2026, 4, 17), seats=100)
    sessions.timetable_create(actor=staff, cohort_id=cohort.pk)
    return cohort


def test_timetable_covers_the_curriculum_in_the_evening_in_karachi(cohort, staff):
    rows = list(cohort.sessions.order_by("starts_at"))
    assert [s.track for s in rows] == [
        "opportunities",
        "platforms",
        "portfolio",
        "first_engagement",
        "profiling",
    ]
    assert rows[0].starts_at == datetime(2026, 4, 13, 14, 0, tzinfo=UTC)  # 19:00 PKT
    with pytest.raises(DomainError):
        sessions.timetable_create(actor=staff, cohort_id=cohort.pk)


def test_groups_are_balanced_and_fit_the_room(cohort, staff):
    cohort.room_cap = 10
    cohort.save()
    for n in range(23):
        confirmed(cohort, gender="woman" if n % 3 == 0 else "man")
    assert sessions.groups_assign(actor=staff, cohort_id=cohort.pk) == 3
    sizes = sorted(Application.objects.values_list("group_number", flat=True))
    counts = [sizes.count(g) for g in (1, 2, 3)]
    assert max(counts) - min(counts) <= 1
    assert max(counts) <= 10
    women = [Application.objects.filter(group_number=g, gender="woman").count() for g in (1, 2, 3)]
    assert max(women) - min(women) <= 1


def test_participants_see_only_their_own_groups_link(client, cohort, staff):
    first, second = confirmed(cohort), confirmed(cohort)
    first.group_number, second.group_number = 1, 2
    Application.objects.bulk_update([first, second], ["group_number"])
    session = cohort.sessions.first()
    sessions.join_link_set(
        actor=staff, session_id=session.pk, group_number=1, url="https://zoom.us/j/1111"
    )
    sessions.join_link_set(
        actor=staff, session_id=session.pk, group_number=2, url="https://zoom.us/j/2222"
    )
    client.force_login(second.user)
    page = client.get(reverse("programme:application", args=[cohort.slug])).content.decode()
    assert "zoom.us/j/2222" in page
    assert "zoom.us/j/1111" not in page
    waiting = Application.objects.create(
        cohort=cohort, user=verified_engineer(), state="waitlisted", group_number=1
    )
    client.force_login(waiting.user)
    page = client.get(reverse("programme:application", args=[cohort.slug])).content.decode()
    assert "zoom.us/j/1111" not in page


@pytest.mark.parametrize("url", ["http://zoom.us/j/1", "javascript:alert(1)", "not a url"])
def test_join_links_must_be_https(cohort, staff, url):
    with pytest.raises(DomainError):
        sessions.join_link_set(
            actor=staff, session_id=cohort.sessions.first().pk, group_number=1, url=url
        )
    assert not JoinLink.objects.exists()


def test_calendar_parses_with_correct_offsets_alarms_and_own_link(client, cohort, staff):
    application = confirmed(cohort)
    application.group_number = 1
    application.save()
    sessions.join_link_set(
        actor=staff,
        session_id=cohort.sessions.first().pk,
        group_number=1,
        url="https://teams.microsoft.com/l/meetup-join/abc",
    )
    client.force_login(application.user)
    response = client.get(reverse("programme:calendar", args=[cohort.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 5
    first = events[0]
    start = first.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Karachi"
    assert start.utcoffset() == timedelta(hours=5)
    assert start.astimezone(UTC) == datetime(2026, 4, 13, 14, 0, tzinfo=UTC)
    assert "teams.microsoft.com" in str(first.get("description"))
    assert list(first.walk("VALARM"))
    assert list(calendar.walk("VTIMEZONE"))
    feed = client.get(reverse("programme:application", args=[cohort.slug])).context["feed_url"]
    client.logout()
    assert client.get(feed).status_code == 200


def test_calendars_are_private(client, cohort):
    application = confirmed(cohort)
    client.force_login(UserFactory())
    assert client.get(reverse("programme:calendar", args=[cohort.slug])).status_code == 404
    token = sessions.calendar_feed_token(application)
    assert client.get(reverse("programme:calendar_feed", args=[token + "x"])).status_code == 404


def test_zoom_report_is_matched_merged_and_clipped(cohort, staff):
    ayesha = confirmed(cohort, email="ayesha@example.pk")
    bilal = confirmed(cohort, email="bilal@example.pk")
    session = cohort.sessions.order_by("starts_at").first()  # 13 April, 19:00-21:00 PKT
    result = attendance.attendance_import(
        actor=staff, session_id=session.pk, content=(DATA / "zoom_participants.csv").read_bytes()
    )
    rows = {a.application_id: a for a in Attendance.objects.all()}
    assert rows[ayesha.pk].minutes == 107  # 19:00-19:40 and 19:52:30-21:00 (clipped), 107.5
    assert rows[ayesha.pk].present
    assert rows[bilal.pk].minutes == 30  # phone and laptop overlap: counted once
    assert not rows[bilal.pk].present
    assert result["unknown_emails"] == ["stranger@example.com"]
    again = attendance.attendance_import(
        actor=staff, session_id=session.pk, content=(DATA / "zoom_participants.csv").read_bytes()
    )
    assert again["already_imported"]
    assert AttendanceImport.objects.count() == 1


def test_teams_report_reads_the_in_meeting_activities(cohort, staff):
    ayesha = confirmed(cohort, email="ayesha@example.pk")
    session = cohort.sessions.order_by("starts_at")[1]  # 14 April
    attendance.attendance_import(
        actor=staff, session_id=session.pk, content=(DATA / "teams_attendance.csv").read_bytes()
    )
    row = Attendance.objects.get(application=ayesha)
    assert row.source == "teams"
    assert row.minutes == 114  # 19:00:05-20:10 and 20:15-21:00
    assert row.present


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just,some,columns\n1,2,3\n", "No participant table"),
        (b"Name,Email,Join time,Leave time\nA,a@x.pk,yesterday,today\n", "Line 2"),
        (
            b"Name,Email,Join time,Leave time\nA,,04/13/2026 07:00:00 PM,04/13/2026 08:00:00 PM\n",
            "no participants",
        ),
        (b"Attendee Email,First join time,Last leave time\na@x.pk,1,2\n", "were not all found"),
        (
            b"Name,Email,Join time,Leave time\nA,a@x.pk,04/14/2026 07:00:00 PM,"
            b"04/14/2026 08:00:00 PM\n",
            "another day",
        ),
        ("1. Summary\nMeeting title\tX\n\n2. Participants\n".encode("utf-16"), "no table"),
        (
            b'Name,Email,Join time,Leave time\nA,a@x.pk,"' + b"x" * 200_000 + b'",1\n',
            "could not be read",
        ),
        (
            b"Name,Email,Join time,Leave time\nA,a@x.pk,04/13/2026 08:00:00 PM,"
            b"04/13/2026 07:00:00 PM\n",
            "leave time is before join time",
        ),
        (b"\xff\xfe\x00\xd8", "UTF-8 or UTF-16"),
    ],
)
def test_malformed_reports_import_nothing(cohort, staff, content, message):
    confirmed(cohort, email="a@x.pk")
    with pytest.raises(DomainError) as caught:
        attendance.attendance_import(
            actor=staff, session_id=cohort.sessions.first().pk, content=content
        )
    assert message in " ".join([caught.value.message, *caught.value.fields.get("file", [])])
    assert not Attendance.objects.exists()
    assert not AttendanceImport.objects.exists()


def test_minutes_merge_overlaps_and_clip():
    t = lambda h, m: datetime(2026, 4, 13, h, m, tzinfo=UTC)  # noqa: E731
    assert minutes_within([(t(9, 0), t(10, 0)), (t(9, 30), t(10, 30))], t(9, 0), t(11, 0)) == 90
    assert minutes_within([(t(8, 0), t(12, 0))], t(9, 0), t(11, 0)) == 120
    assert minutes_within([(t(12, 0), t(13, 0))], t(9, 0), t(11, 0)) == 0


def _past(session):
    LiveSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        recording_url="https://example.pk/recording",
        check_questions=[
            {"question": "Q1", "options": ["a", "b"], "answer": 1},
            {"question": "Q2", "options": ["a", "b"], "answer": 0},
            {"question": "Q3", "options": ["a", "b"], "answer": 1},
        ],
    )
    return LiveSession.objects.get(pk=session.pk)


def test_an_outage_absence_completed_from_the_recording_counts_once_approved(cohort, staff):
    application = confirmed(cohort)
    session = _past(cohort.sessions.first())
    excuse = attendance.excuse_report(
        user=application.user, session_id=session.pk, reason="power", answers=[1, 0, 0]
    )
    assert excuse.check_passed  # 2 of 3
    attendance.excuse_review(actor=staff, excuse_id=excuse.pk, approve=True)
    assert Attendance.objects.get(application=application, session=session).present


def test_a_failed_check_cannot_be_approved(cohort, staff):
    application = confirmed(cohort)
    session = _past(cohort.sessions.first())
    excuse = attendance.excuse_report(
        user=application.user, session_id=session.pk, reason="internet", answers=[0, 1, 0]
    )
    with pytest.raises(DomainError):
        attendance.excuse_review(actor=staff, excuse_id=excuse.pk, approve=True)
    assert not Attendance.objects.exists()


def test_only_participants_can_report_absences(cohort):
    session = _past(cohort.sessions.first())
    with pytest.raises(DomainError):
        attendance.excuse_report(
            user=verified_engineer(), session_id=session.pk, reason="power", answers=[1, 0, 1]
        )


def _attend(application, sessions_):
    Attendance.objects.bulk_create(
        [
            Attendance(session=s, application=application, present=True, source="zoom", minutes=120)
            for s in sessions_
        ]
    )


def test_certificates_follow_the_rule_and_issue_once(cohort):
    done, short = confirmed(cohort), confirmed(cohort)
    rows = list(cohort.sessions.order_by("starts_at"))
    _attend(done, rows[:4])
    _attend(short, rows[:3])
    assert certificates.certificates_issue(cohort_id=cohort.pk) == 1
    assert certificates.certificates_issue(cohort_id=cohort.pk) == 0
    assert list(Certificate.objects.values_list("application_id", flat=True)) == [done.pk]


def test_certificate_pdf_and_public_verification(client, cohort, staff):
    application = confirmed(cohort)
    _attend(application, cohort.sessions.all())
    certificates.certificates_issue(cohort_id=cohort.pk)
    code = Certificate.objects.get().code
    client.force_login(application.user)
    pdf = client.get(reverse("programme:certificate", args=[cohort.slug]))
    assert pdf.content.startswith(b"%PDF")
    client.logout()
    valid = client.get(reverse("programme:certificate_verify", args=[code]))
    assert "Valid" in valid.content.decode()
    unknown = client.get(reverse("programme:certificate_verify", args=["NOTACODE"]))
    assert unknown.status_code == 404
    certificates.certificate_revoke(actor=staff, code=code, reason="Attendance was misreported.")
    revoked = client.get(reverse("programme:certificate_verify", args=[code])).content.decode()
    assert "Revoked" in revoked
    assert "Attendance was misreported." in revoked


def test_someone_elses_certificate_is_not_downloadable(client, cohort):
    application = confirmed(cohort)
    _attend(application, cohort.sessions.all())
    certificates.certificates_issue(cohort_id=cohort.pk)
    client.force_login(verified_engineer())
    assert client.get(reverse("programme:certificate", args=[cohort.slug])).status_code == 404


@pytest.mark.parametrize(
    "who", [Role.ENGINEER, Role.CONTRIBUTOR, Role.INSTITUTION_REP, Role.COUNCIL_ANALYST]
)
@pytest.mark.parametrize(
    "action", ["timetable", "groups", "link", "import", "certificates", "revoke"]
)
def test_every_staff_action_is_refused_to_other_roles(client, who, action):
    cohort = CohortFactory()
    login_with_second_factor(client, user_with_role(who))
    response = client.post(
        reverse("programme:staff_sessions", args=[cohort.slug]),
        {
            "action": action,
            "session": "1",
            "group_number": "1",
            "url": "https://x.pk",
            "code": "X",
            "reason": "r",
        },
    )
    assert response.status_code == 403
    assert not LiveSession.objects.exists()
    assert not Certificate.objects.exists()


def test_staff_page_runs_the_cohort(client, cohort):
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    confirmed(cohort, email="ayesha@example.pk")
    url = reverse("programme:staff_sessions", args=[cohort.slug])
    client.post(url, {"action": "groups"})
    assert Application.objects.get().group_number == 1
    session = cohort.sessions.order_by("starts_at").first()
    with (DATA / "zoom_participants.csv").open("rb") as handle:
        response = client.post(url, {"action": "import", "session": session.pk, "file": handle})
    assert "1 matched to participants" in response.content.decode()
    assert Attendance.objects.filter(present=True).count() == 1


def test_rows_without_an_email_are_reported_not_fatal(cohort, staff):
    confirmed(cohort, email="ayesha@example.pk")
    content = (
        b"Name,Email,Join time,Leave time\n"
        b"Dial-in caller,,04/13/2026 07:00:00 PM,04/13/2026 09:00:00 PM\n"
        b"Ayesha,ayesha@example.pk,04/13/2026 07:00:00 PM,04/13/2026 09:00:00 PM\n"
    )
    result = attendance.attendance_import(
        actor=staff, session_id=cohort.sessions.order_by("starts_at").first().pk, content=content
    )
    assert result["without_email"] == 1
    assert Attendance.objects.get().present


def test_teams_day_first_twelve_hour_times_are_read(cohort, staff):
    confirmed(cohort, email="ayesha@example.pk")
    rows = [
        "2. Participants",
        "Name\tFirst Join\tLast Leave\tEmail",
        "Ayesha\t13/04/2026, 7:00:00 PM\t13/04/2026, 9:00:00 PM\tayesha@example.pk",
    ]
    content = "\r\n".join(rows).encode("utf-16")
    attendance.attendance_import(
        actor=staff, session_id=cohort.sessions.order_by("starts_at").first().pk, content=content
    )
    assert Attendance.objects.get().minutes == 120
