"""A civil engineer on a phone-sized screen takes the career assessment: finds skills by typing,
has skills suggested from her experience and confirms one, adds tools, loses the connection
halfway through the interest inventory and carries on, and gets explained, correctable
recommendations with a plan."""

import pytest

from rabta.accounts.tests.factories import PASSWORD, EngineerProfileFactory
from rabta.profiling.inventory import ITEMS
from rabta.profiling.models import Assessment, AssessmentState, SkillClaim

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/me/")


def test_phone_assessment_to_explained_results(live_server, page):
    user = EngineerProfileFactory(discipline="CIVIL").user
    login(page, live_server, user)
    page.goto(live_server.url + "/profiling/")
    page.click("text=Start the assessment")
    page.wait_for_url("**/profiling/assessment/skills/")

    # search-as-you-type: results arrive without submitting the form
    page.fill("#skill-q", "use CAD")
    add = page.locator("#skill-results form", has_text="use CAD software").first
    add.wait_for()
    add.locator("select").select_option("4")
    add.locator("button").click()
    page.locator("#skills-list", has_text="use CAD software").wait_for()
    page.fill("#skill-q", "technical drawi")
    page.locator("#skill-results form", has_text="technical drawings").first.locator(
        "button"
    ).click()
    page.locator("#skills-list", has_text="technical drawings").wait_for()
    page.click("text=Save and continue")

    page.wait_for_url("**/assessment/experience/")
    page.fill(
        "#id_text",
        "Three years preparing Revit models and building information modelling for housing.",
    )
    page.click("text=Suggest skills from my text")
    page.locator("text=Is this your skill?").wait_for()
    first = page.locator("section.card li form").first
    first.locator("button[value=confirm]").click()
    page.wait_for_url("**/assessment/experience/")
    page.click("main > form button[value=done]")

    page.wait_for_url("**/assessment/tools/")
    for tool in ("AutoCAD", "Revit"):
        page.fill("#id_tool", tool)
        page.click("button[value=add]")
        page.wait_for_url("**/assessment/tools/")
    page.click("button[value=done]")

    page.wait_for_url("**/assessment/digital/")
    page.check("input[name=english_written][value='2']")
    page.check("input[name=english_spoken][value='2']")
    page.check("input[name=payment][value=unsure]")
    page.check("input[name=internet][value=patchy]")
    page.check("input[name=power_backup][value=ups]")
    page.fill("#id_hours_per_week", "12")
    page.click("button[value=done]")

    page.wait_for_url("**/assessment/interests/")
    for item in ITEMS[:12]:
        value = "5" if item.theme in ("draw", "model") else "2"
        page.check(f"input[name={item.code}][value='{value}']")
    # the answers reach the server as they are tapped (autosave), before any button
    page.wait_for_function("document.querySelector('#save-status').textContent.includes('Saved')")
    # the connection drops: on return the answers are still there
    page.reload()
    assert page.is_checked(f"input[name={ITEMS[0].code}][value='5']")
    for item in ITEMS[12:]:
        value = "5" if item.theme in ("draw", "model") else "2"
        page.check(f"input[name={item.code}][value='{value}']")
    page.click("button[value=done]")

    page.wait_for_url("**/assessment/goals/")
    page.check("input[name=goal][value=first_client]")
    page.click("button[value=done]")
    page.wait_for_url("**/assessment/review/")
    page.click("text=See my results")

    page.wait_for_url("**/profiling/results/")
    first_two = page.locator("section.pathway h2").all_inner_texts()[:2]
    assert any("CAD" in t for t in first_two)
    assert any("BIM" in t for t in first_two)
    assert "use CAD software" in page.content()
    assert page.locator("#plan").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling on a phone
    assessment = Assessment.objects.get(user=user)
    assert assessment.state == AssessmentState.COMPLETED
    assert SkillClaim.objects.filter(assessment=assessment, source="text").count() == 1

    # correctable: retaking starts from the same answers
    page.click("text=Correct or retake the assessment")
    page.wait_for_url("**/assessment/skills/")
    assert "use CAD software" in page.locator("#skills-list").inner_text()
