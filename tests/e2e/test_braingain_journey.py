"""An institution in Pakistan asks for final-year project supervision on a phone-sized screen,
picks a suggested overseas contributor with the reasons shown, the contributor accepts, both
sign the agreement, and the contributor plans a session, adds it to a calendar and logs it as
held."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from rabta.braingain.models import Ask, MatchRequest, Mentorship, MentorshipSession
from rabta.braingain.tests.conftest import contributor, institution_rep
from tests.e2e.test_assessment_journey import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_phone_ask_to_signed_mentorship_with_a_held_session(live_server, page, browser):
    # Given an institution representative with an institution, and an overseas contributor who
    # offers final-year project supervision in renewable energy
    rep, institution = institution_rep()
    mentor = contributor(user__display_name="Ayesha Siddiqui")
    assert "fyp_supervision" in mentor.contributor_profile.contribution_types

    # When the representative posts an ask for the institution
    login(page, live_server, rep)
    page.goto(live_server.url + "/brain-gain/asks/new/")
    page.select_option("#id_kind", "fyp_supervision")
    page.fill("#id_title", "Supervise a solar mini-grid final-year project")
    page.fill("#id_goal", "Guide four students designing a 50 kW solar mini-grid for a village.")
    page.select_option("#id_sector", "renewable_energy")
    page.fill("#id_skill_terms", "solar energy, project management")
    page.fill("#id_duration_weeks", "16")
    page.fill("#id_hours_per_month", "4")
    page.select_option("#id_language", "en")
    page.select_option("#id_mode", "online")
    deadline = timezone.localdate() + dt.timedelta(days=30)
    page.fill("#id_deadline", deadline.isoformat())
    page.select_option("#id_institution_id", str(institution.pk))
    page.click("#main form[data-autosave=bg-ask] button[type=submit]")

    # Then the ask page suggests the contributor, with the reasons
    page.wait_for_url("**/brain-gain/asks/*/")
    ask = Ask.objects.get(owner=rep)
    assert ask.institution_id == institution.pk
    assert ask.kind == "fyp_supervision"
    assert len(ask.skills) == 2
    suggestion = page.locator("#suggestions article.suggestion", has_text="Ayesha Siddiqui")
    suggestion.wait_for()
    reasons = suggestion.locator("ul.checklist").inner_text()
    assert "Skills:" in reasons
    assert "Works in this sector" in reasons
    assert "Speaks the ask's language" in reasons

    # When the representative asks the contributor
    suggestion.locator("button", has_text="Ask Ayesha Siddiqui").click()
    page.locator("text=Request sent.").wait_for()
    match_request = MatchRequest.objects.get(ask=ask)
    assert match_request.contributor_id == mentor.pk
    assert match_request.status == "pending"

    # And the contributor, on their own phone, finds the request in the hub and accepts it
    mentor_context = browser.new_context(viewport=PHONE, locale="en-GB")
    mentor_page = mentor_context.new_page()
    mentor_page.set_default_timeout(15_000)
    login(mentor_page, live_server, mentor)
    mentor_page.goto(live_server.url + "/brain-gain/")
    mentor_page.locator("#contributor a", has_text=ask.title).click()
    mentor_page.wait_for_url(f"**/brain-gain/requests/{match_request.pk}/")
    mentor_page.locator("h2", has_text="Why you were asked").wait_for()
    assert "Works in this sector" in mentor_page.locator("ul.checklist").inner_text()
    mentor_page.click("#respond button[value=accept]")

    # Then the contributor lands on the mentorship page, where the terms are agreed
    mentor_page.wait_for_url("**/brain-gain/mentorships/*/")
    mentorship = Mentorship.objects.get(ask=ask)
    assert mentorship.mentor_id == mentor.pk
    assert mentorship.mentee_id == rep.pk
    mentorship_path = f"/brain-gain/mentorships/{mentorship.pk}/"
    assert mentor_page.url == live_server.url + mentorship_path

    # When the contributor writes the agreement, saves and signs it
    mentor_page.fill("#id_goals", "A working mini-grid design and a report the panel accepts.")
    mentor_page.fill("#id_schedule", "A one-hour call every second Saturday at 18:00 PKT.")
    mentor_page.fill("#id_expectations", "Students send drafts a week ahead; I review them.")
    mentor_page.locator("#agreement button", has_text="Save the agreement").click()
    mentor_page.locator("text=Saved. Both of you sign").wait_for()
    mentor_page.click("#agreement button[value=sign]")
    mentor_page.locator("#agreement", has_text="The contributor has signed.").wait_for()

    # And the representative opens the mentorship and signs it too
    page.goto(live_server.url + mentorship_path)
    page.locator("#agreement", has_text="The contributor has signed.").wait_for()
    page.click("#agreement button[value=sign]")

    # Then the mentorship is active
    page.locator("#status", has_text="Active").wait_for()
    page.locator("#agreement", has_text="Signed by both on").wait_for()
    mentorship.refresh_from_db()
    assert mentorship.status == "active"

    # When the contributor plans a session that started an hour ago, Pakistan time
    mentor_page.goto(live_server.url + mentorship_path)
    assert mentor_page.locator("#status").inner_text() == "Active"
    started = dt.datetime.now(ZoneInfo("Asia/Karachi")) - dt.timedelta(hours=1)
    mentor_page.fill("#id_day", started.date().isoformat())
    mentor_page.fill("#id_at", started.strftime("%H:%M"))
    mentor_page.fill("#id_zone", "Asia/Karachi")
    mentor_page.fill("#id_duration_minutes", "60")
    mentor_page.fill("#id_agenda", "Load estimate and battery sizing")
    mentor_page.locator("#sessions button", has_text="Plan it").click()
    mentor_page.locator("text=Session planned.").wait_for()

    # Then the planned session can be added to a calendar
    session = MentorshipSession.objects.get(mentorship=mentorship)
    assert session.status == "planned"
    assert session.starts_at == started.replace(second=0, microsecond=0)
    article = mentor_page.locator("#sessions article.session")
    assert "Planned" in article.locator("h3").inner_text()
    ics_link = article.locator("a", has_text=".ics")
    href = ics_link.get_attribute("href")
    assert href == f"/brain-gain/sessions/{session.pk}.ics"
    calendar = mentor_page.request.get(live_server.url + href)
    assert calendar.status == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in calendar.body()

    # When the contributor logs the session as held, with notes
    article.locator("#id_notes").fill("Sized the battery bank; next: inverter selection.")
    article.locator("button", has_text="Log this session as held").click()
    mentor_page.locator("text=Session logged.").wait_for()

    # Then the session shows as held with the notes, and no longer offers the calendar file
    article = mentor_page.locator("#sessions article.session")
    assert "Held" in article.locator("h3").inner_text()
    assert "Sized the battery bank; next: inverter selection." in article.inner_text()
    assert article.locator("a", has_text=".ics").count() == 0
    session.refresh_from_db()
    assert session.status == "held"
    assert session.notes == "Sized the battery bank; next: inverter selection."

    # And the mentorship page fits a 390px phone screen without sideways scrolling
    assert mentor_page.evaluate("window.innerWidth") == 390
    assert mentor_page.evaluate(NO_SIDEWAYS_SCROLL)
    page.reload()
    page.locator("#sessions article.session", has_text="Held").wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    mentor_context.close()
