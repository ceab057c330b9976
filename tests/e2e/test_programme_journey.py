"""An engineer with a verified PEC number applies to an open cohort on a phone, loses the
connection half-way (the draft survives), submits, is offered a seat and confirms it."""

import pytest

from rabta.accounts.models import VerificationState
from rabta.accounts.tests.factories import PASSWORD, EngineerProfileFactory
from rabta.programme.models import Application, Cohort
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
