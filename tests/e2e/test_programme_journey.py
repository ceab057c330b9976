"""An engineer with a verified PEC number applies to an open cohort on a phone, loses the
connection half-way (the draft survives), submits, is offered a seat and confirms it, then
sees their session link and downloads the calendar."""

from pathlib import Path

import pytest
from icalendar import Calendar

from rabta.accounts.models import VerificationState
from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import PASSWORD, EngineerProfileFactory, user_with_role
from rabta.programme.models import Application, Cohort
from rabta.programme.services import sessions
from rabta.programme.tests.factories import CohortFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_apply_get_a_seat_and_confirm(live_server, page):
    profile = EngineerProfileFactory(
        verification_state=VerificationState.VERIFIED, user__email="nadia@example.pk"
    )
    cohort = CohortFactory(seats=1, name="Second cohort")

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", profile.user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/")

    page.click("nav >> text=Freelance Initiative")
    page.click(f"text={cohort.name}")
    page.fill("#id_motivation", "Sell BIM coordination services to Gulf contractors.")
    page.fill("#id_hours_per_week", "12")
    page.check("input[name=employment][value=employed]")
    # htmx saves the draft on the server as the person types.
    page.wait_for_selector("#draft-status:has-text('Draft saved')")
    page.reload()
    assert page.input_value("#id_motivation").startswith("Sell BIM")
    assert Application.objects.get().state == "draft"

    page.check("#id_consent")
    page.click("button[value=submit]")
    page.wait_for_selector("text=Seat offered: confirm it")
    page.click("button[value=confirm]")
    page.wait_for_selector("text=Seat confirmed")
    assert Application.objects.get().state == "confirmed"
    assert Cohort.objects.get().seats_taken == 1

    # Staff publish the timetable, split the participants and set the room links.
    staff = user_with_role(Role.PROGRAMME_STAFF)
    sessions.timetable_create(actor=staff, cohort_id=cohort.pk)
    sessions.groups_assign(actor=staff, cohort_id=cohort.pk)
    first = cohort.sessions.order_by("starts_at").first()
    sessions.join_link_set(
        actor=staff, session_id=first.pk, group_number=1, url="https://zoom.us/j/81234567890"
    )
    page.reload()
    assert page.get_attribute("a:has-text('Join link')", "href") == "https://zoom.us/j/81234567890"
    with page.expect_download() as download:
        page.click("text=Download the calendar (.ics)")
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == 5
