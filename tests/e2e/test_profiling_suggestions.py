"""In a real browser: after "Suggest skills from my text" the page answers at once and shows the
suggestions when a worker has stored them, by polling its suggestions part (no reload)."""

import pytest

from rabta.accounts.tests.factories import PASSWORD, EngineerProfileFactory
from rabta.profiling import services
from rabta.profiling.tasks import skill_suggestions_task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_suggestions_appear_when_the_worker_has_stored_them(live_server, page, monkeypatch):
    user = EngineerProfileFactory(discipline="CIVIL").user
    services.assessment_start(user=user)
    queued = []  # the broker: the task waits here until "the worker" runs it
    monkeypatch.setattr(
        skill_suggestions_task, "apply_async", lambda args, kwargs: queued.append(args)
    )
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/")
    page.goto(live_server.url + "/profiling/assessment/experience/")
    page.fill("#id_text", "Three years preparing Revit models and AutoCAD drawings for housing.")
    page.click("text=Suggest skills from my text")
    page.locator("text=Finding the skills your text mentions").wait_for()
    page.evaluate("window.notReloaded = true")

    assert len(queued) == 1
    skill_suggestions_task.run(*queued[0])

    page.locator("text=Is this your skill?").wait_for()
    assert page.evaluate("window.notReloaded === true")
    assert page.locator("#suggestions li").count() == services.SUGGESTIONS_PER_TEXT
    assert page.locator("text=Finding the skills your text mentions").count() == 0
