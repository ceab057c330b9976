"""Cohorts stay reachable after they end: the participant's own cohorts page and the staff
cohort list by phase, and the demo engineer's finished participation."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.programme.models import Application, Attendance, Certificate, Cohort, LiveSession
from rabta.programme.services import attendance, certificates, sessions
from rabta.programme.tests.factories import CohortFactory, verified_engineer

pytestmark = pytest.mark.django_db

KARACHI = ZoneInfo("Asia/Karachi")


def _today():
    return timezone.localdate(timezone.now(), KARACHI)


@pytest.fixture
def staff():
    return user_with_role(Role.PROGRAMME_STAFF)


def _finished_cohort(staff, **kwargs):
    """A cohort that ran last month, with its timetable and a recording for every session."""
    now = timezone.now()
    cohort = CohortFactory(
        starts_on=_today() - timedelta(days=40),
        ends_on=_today() - timedelta(days=36),
        applications_open_at=now - timedelta(days=90),
        applications_close_at=now - timedelta(days=60),
        seats=100,
        **kwargs,
    )
    sessions.timetable_create(actor=staff, cohort_id=cohort.pk)
    LiveSession.objects.filter(cohort=cohort).update(recording_url="https://rec.example.pk/1")
    return cohort


def _seat(cohort, user=None, state="confirmed"):
    user = user or verified_engineer()
    return Application.objects.create(
        cohort=cohort, user=user, state=state, submitted_at=timezone.now(), group_number=1
    )


def _present(application, rows):
    Attendance.objects.bulk_create(
        [
            Attendance(session=s, application=application, present=True, source="zoom", minutes=120)
            for s in rows
        ]
    )


def _participant_with_history(staff):
    """An engineer who finished a past cohort (four evenings live, the fifth excused after a
    power cut, certificate issued) and holds an offer in an open one."""
    past = _finished_cohort(staff, name="Spring cohort")
    application = _seat(past)
    rows = list(past.sessions.order_by("starts_at"))
    _present(application, rows[:4])
    excuse = attendance.excuse_report(
        user=application.user, session_id=rows[4].pk, reason="power", note="UPS died"
    )
    attendance.excuse_review(actor=staff, excuse_id=excuse.pk, approve=True, note="Fine")
    certificates.certificates_issue(cohort_id=past.pk)
    current = CohortFactory(
        name="Winter cohort",
        starts_on=_today() + timedelta(days=30),
        ends_on=_today() + timedelta(days=34),
    )
    _seat(current, user=application.user, state="offered")
    return application.user, past, current


def test_my_cohorts_shows_past_and_current_with_sessions_excuses_and_certificate(client, staff):
    user, past, current = _participant_with_history(staff)
    code = Certificate.objects.get(application__user=user).code
    client.force_login(user)
    body = client.get(reverse("programme:mine")).content.decode()
    assert "Spring cohort" in body
    assert "Winter cohort" in body
    assert "Seat offered: confirm it" in body
    assert "Seat confirmed" in body
    assert body.count("<td>Present</td>") == 4
    assert body.count("Present (from the recording)") == 1
    assert "Power cut (load-shedding)" in body
    assert "Approved" in body
    assert "no check" in body
    assert reverse("programme:certificate", args=[past.slug]) in body
    assert reverse("programme:certificate_verify", args=[code]) in body
    assert reverse("programme:calendar", args=[past.slug]) in body
    assert reverse("programme:application", args=[current.slug]) in body
    assert "PKT" in body  # times name their zone


def test_my_cohorts_shows_nothing_of_other_people(client, staff):
    user, past, _current = _participant_with_history(staff)
    other = _seat(past)
    session = past.sessions.order_by("starts_at").first()
    attendance.excuse_report(
        user=other.user, session_id=session.pk, reason="internet", note="Secret neighbour note"
    )
    _present(other, past.sessions.all())
    certificates.certificates_issue(cohort_id=past.pk)
    others_code = Certificate.objects.get(application=other).code
    lonely = CohortFactory(name="Cohort nobody told me about")
    _seat(lonely)
    client.force_login(user)
    body = client.get(reverse("programme:mine")).content.decode()
    assert "Secret neighbour note" not in body
    assert "Internet outage" not in body
    assert others_code not in body
    assert "Cohort nobody told me about" not in body


def test_my_cohorts_page_is_empty_for_someone_who_never_applied(client, staff):
    _participant_with_history(staff)
    client.force_login(verified_engineer())
    body = client.get(reverse("programme:mine")).content.decode()
    assert "You have not applied to a cohort yet." in body
    assert "Spring cohort" not in body


def test_my_cohorts_query_count_does_not_grow_with_cohorts(
    client, staff, django_assert_max_num_queries
):
    user, past, _current = _participant_with_history(staff)
    client.force_login(user)
    url = reverse("programme:mine")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(3):
        cohort = _finished_cohort(staff)
        application = _seat(cohort, user=user)
        _present(application, cohort.sessions.all())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_open_cohort_list_keeps_only_open_cohorts_and_links_my_cohorts(client, staff):
    user, _past, _current = _participant_with_history(staff)
    client.force_login(user)
    body = client.get(reverse("programme:cohorts")).content.decode()
    assert "Winter cohort" in body
    assert "Spring cohort" not in body
    assert reverse("programme:mine") in body


def test_mine_is_a_reserved_cohort_address(client):
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    from rabta.programme.tests.test_pages import COHORT_FORM

    response = client.post(reverse("programme:staff_cohorts"), {**COHORT_FORM, "slug": "mine"})
    assert response.status_code == 200
    assert "This address is taken" in response.content.decode()
    assert not Cohort.objects.exists()


# --- the staff cohort list ------------------------------------------------------------------------


def _cohorts_in_every_phase():
    now, today = timezone.now(), _today()
    past_window = {
        "applications_open_at": now - timedelta(days=90),
        "applications_close_at": now - timedelta(days=60),
    }
    CohortFactory(
        name="Finished A",
        starts_on=today - timedelta(days=40),
        ends_on=today - timedelta(days=36),
        **past_window,
    )
    CohortFactory(
        name="Finished B",
        starts_on=today - timedelta(days=5),
        ends_on=today - timedelta(days=1),
        **past_window,
    )
    CohortFactory(
        name="Running",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=3),
        **past_window,
    )
    CohortFactory(
        name="Open",
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=34),
    )
    CohortFactory(
        name="Upcoming",
        starts_on=today + timedelta(days=90),
        ends_on=today + timedelta(days=94),
        applications_open_at=now + timedelta(days=10),
        applications_close_at=now + timedelta(days=20),
    )


@pytest.mark.parametrize(
    ("phase", "names"),
    [
        ("open", ["Open"]),
        ("running", ["Running"]),
        ("finished", ["Finished B", "Finished A"]),
        ("", ["Upcoming", "Open", "Running", "Finished B", "Finished A"]),
        ("nonsense", ["Upcoming", "Open", "Running", "Finished B", "Finished A"]),
    ],
)
def test_staff_filter_cohorts_by_phase(client, phase, names):
    _cohorts_in_every_phase()
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    response = client.get(reverse("programme:staff_cohorts"), {"phase": phase})
    assert [cohort.name for cohort, _phase in response.context["rows"]] == names
    assert [(value, n) for value, _label, n in response.context["phases"]] == [
        ("open", 1),
        ("running", 1),
        ("finished", 2),
    ]
    assert response.context["total"] == 5


def test_staff_cohort_list_counts_each_cohort(client, staff):
    user, past, _current = _participant_with_history(staff)
    _seat(past, state="waitlisted")
    other = _seat(past)
    attendance.excuse_report(
        user=other.user, session_id=past.sessions.first().pk, reason="internet"
    )
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    response = client.get(reverse("programme:staff_cohorts"), {"phase": "finished"})
    [(row, phase)] = response.context["rows"]
    assert phase == "finished"
    assert (
        row.applications_count,
        row.participants_count,
        row.certificates_count,
        row.excuses_waiting,
    ) == (3, 2, 1, 1)


def test_staff_cohort_list_query_count_does_not_grow_and_pages(
    client, django_assert_max_num_queries
):
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    url = reverse("programme:staff_cohorts")
    for _ in range(2):
        _seat(CohortFactory(time_zone="Asia/Dubai"))
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(28):
        _seat(CohortFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(url)
    assert len(first.context["rows"]) == 25
    second = client.get(url, {"page": "2"})
    assert len(second.context["rows"]) == 5
    assert first.context["page"].paginator.count == 30


def _staff_pages_of(client, cohort):
    """Every staff page of a cohort, followed by clicking from the staff cohort list."""
    listing = client.get(reverse("programme:staff_cohorts"), {"phase": "finished"})
    overview = reverse("programme:staff_cohort", args=[cohort.slug])
    assert overview in listing.content.decode()
    body = client.get(overview).content.decode()
    pages = [
        reverse("programme:staff_applicants", args=[cohort.slug]),
        reverse("programme:staff_applicants", args=[cohort.slug]) + "?format=csv",
        reverse("programme:staff_sessions", args=[cohort.slug]),
        reverse("programme:staff_allocation", args=[cohort.slug]),
    ]
    for page in pages:
        assert f'href="{page}' in body
    sessions_page = client.get(pages[2]).content.decode()
    session = cohort.sessions.order_by("starts_at").first()
    per_session = reverse("programme:staff_session", args=[cohort.slug, session.pk])
    assert f'href="{per_session}"' in sessions_page
    assert 'id="excuses"' in sessions_page
    assert 'id="certificates"' in sessions_page
    return [overview, *pages, per_session]


def test_every_staff_page_of_a_finished_cohort_is_reachable_by_clicking(client, staff):
    _user, past, _current = _participant_with_history(staff)
    Cohort.objects.filter(pk=past.pk).update(policy="fair")
    past.refresh_from_db()
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    for page in _staff_pages_of(client, past):
        assert client.get(page).status_code == 200, page


@pytest.mark.parametrize("who", [Role.ENGINEER, Role.COUNCIL_ANALYST, Role.CONTRIBUTOR])
def test_a_finished_cohorts_staff_pages_are_refused_to_other_roles(client, staff, who):
    _user, past, _current = _participant_with_history(staff)
    Cohort.objects.filter(pk=past.pk).update(policy="fair")
    login_with_second_factor(client, user_with_role(Role.PROGRAMME_STAFF))
    pages = _staff_pages_of(client, past)
    login_with_second_factor(client, user_with_role(who))
    assert [client.get(page).status_code for page in pages] == [403] * len(pages)
    assert client.get(reverse("programme:staff_cohorts")).status_code == 403


# --- the demo -------------------------------------------------------------------------------------


def test_the_demo_engineer_has_a_finished_cohort_and_a_place_in_the_open_one(client):
    # the programme's part of seed_demo (the whole demo runs in tests/test_seed_demo.py)
    import random

    from rabta.accounts.demo import seed_accounts
    from rabta.accounts.models import User
    from rabta.programme.demo import seed_programme
    from rabta.programme.models import Excuse

    rng = random.Random(2026)
    seed_accounts(rng, engineers=60, contributors=10)
    seed_programme(rng)

    engineer = User.objects.get(email="engineer@demo.rabta.test")
    first = Application.objects.get(user=engineer, cohort__slug="first-cohort-april-2026")
    assert first.state == "confirmed"
    assert Attendance.objects.filter(application=first, present=True).count() == 5
    excuse = Excuse.objects.get(application=first)
    assert (excuse.state, excuse.check_passed) == ("approved", True)
    assert Certificate.objects.get(application=first).revoked_at is None
    second = Application.objects.get(user=engineer, cohort__slug="second-cohort-2027")
    assert second.state == "offered"
    assert second.offer_expires_at == second.cohort.applications_close_at
    client.force_login(engineer)
    body = client.get(reverse("programme:mine")).content.decode()
    assert "Freelance Initiative — first cohort" in body
    assert "Freelance Initiative — second cohort" in body
    assert "Present (from the recording)" in body


def test_a_waitlisted_demo_engineer_takes_a_seat_freed_by_a_decline():
    from rabta.programme.demo import _engineer_offered

    cohort = CohortFactory(policy="fair")
    application = _seat(cohort, state="waitlisted")
    _engineer_offered(application.user, cohort)
    application.refresh_from_db()
    assert application.state == "offered"
