"""An analyst watches the inclusion dashboard while applications are open; an application
arrives and the figures change on the page without a reload."""

import pytest
from django.test import Client

from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import login_with_second_factor, user_with_role
from rabta.programme import services
from rabta.programme.tests.factories import ANSWERS, CohortFactory, verified_engineer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _apply(cohort) -> None:
    services.application_submit(user=verified_engineer(), cohort_id=cohort.pk, data=ANSWERS)


def test_the_live_inclusion_dashboard_updates_when_an_application_arrives(
    live_server, page, settings
):
    settings.INSIGHTS_LIVE_SECONDS = 1
    cohort = CohortFactory(seats=100)
    for _ in range(11):
        _apply(cohort)
    analyst = user_with_role(Role.COUNCIL_ANALYST)
    client = Client()
    login_with_second_factor(client, analyst)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/insights/inclusion/")
    applications = page.locator("#tile-totals tbody th").first
    assert applications.inner_text() == "11"
    page.evaluate("window.__same_page = true")  # gone if the page were reloaded

    _apply(cohort)

    page.wait_for_function(
        "document.querySelector('#tile-totals tbody th').innerText === '12'", timeout=15_000
    )
    assert page.evaluate("window.__same_page") is True
    assert page.locator("#tile-applied-gender svg").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
