"""After a match, a seeker in Pakistan and a contributor in Toronto write to each other inside
Rabta, the contributor plans a session with a meeting link, both download the invite, and each
sees the session's time in their own zone."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest

from rabta.braingain import services
from rabta.braingain.models import Mentorship, MentorshipSession, MentorshipStatus, Message
from rabta.braingain.tests.conftest import contributor, engineer, post_ask
from tests.e2e.test_assessment_journey import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TORONTO, KARACHI = ZoneInfo("America/Toronto"), ZoneInfo("Asia/Karachi")
ZOOM = "https://us02web.zoom.us/j/81234567890"


def _signed_in(browser, live_server, user):
    context = browser.new_context(viewport=PHONE, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server, user)
    return context, page


def _invite(page, live_server, path):
    with page.expect_download() as waiting:
        page.evaluate(
            "href => { const a = document.querySelector(`a[href='${href}']`); a.click(); }", path
        )
    return icalendar.Calendar.from_ical(open(waiting.value.path(), "rb").read())


def test_matched_people_talk_and_meet_each_in_their_own_zone(live_server, browser):
    # Given a seeker in Pakistan whose request a contributor in Toronto accepted
    seeker = engineer()
    seeker.time_zone = "Asia/Karachi"
    seeker.display_name = "Sana Baloch"
    seeker.save(update_fields=["time_zone", "display_name"])
    mentor = contributor(user__display_name="Imran Qureshi")
    mentor.time_zone = "America/Toronto"
    mentor.save(update_fields=["time_zone"])
    ask = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    services.request_respond(user=mentor, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get(request=request)
    Mentorship.objects.filter(pk=mentorship.pk).update(status=MentorshipStatus.ACTIVE)
    mentorship_path = f"/brain-gain/mentorships/{mentorship.pk}/"

    mentor_context, mentor_page = _signed_in(browser, live_server, mentor)
    seeker_context, seeker_page = _signed_in(browser, live_server, seeker)
    try:
        # When the contributor opens the match's messages and writes
        mentor_page.goto(live_server.url + mentorship_path)
        mentor_page.locator("main a[href*='/conversations/with/mentorship/']").click()
        mentor_page.wait_for_url(re.compile(r".*/brain-gain/conversations/\d+/(#latest)?$"))
        mentor_page.fill(
            "#latest textarea[name=body]", "Salaam Sana, shall we meet on **Saturday**?"
        )
        mentor_page.click("#latest button[type=submit]")
        mentor_page.locator("#thread li", has_text="shall we meet on").wait_for()

        # Then the seeker sees one unread conversation in the inbox, reads it and replies
        seeker_page.goto(live_server.url + "/brain-gain/conversations/")
        entry = seeker_page.locator("ul.inbox li.unread", has_text="1 unread")
        entry.wait_for()
        entry.locator("a").first.click()
        seeker_page.locator("#thread strong", has_text="Saturday").wait_for()
        seeker_page.fill("#latest textarea[name=body]", "Yes, Saturday evening my time works.")
        seeker_page.click("#latest button[type=submit]")
        seeker_page.locator("#thread li", has_text="Saturday evening my time").wait_for()
        assert list(Message.objects.order_by("pk").values_list("author_id", flat=True)) == [
            mentor.pk,
            seeker.pk,
        ]

        # When the contributor plans a session at 09:00 Toronto time with a Zoom link
        day = (dt.datetime.now(TORONTO) + dt.timedelta(days=10)).date()
        mentor_page.goto(live_server.url + mentorship_path)
        mentor_page.fill("#id_day", day.isoformat())
        mentor_page.fill("#id_at", "09:00")
        mentor_page.fill("#id_zone", "America/Toronto")
        mentor_page.fill("#id_duration_minutes", "60")
        mentor_page.fill("#id_agenda", "Load estimate and battery sizing")
        mentor_page.fill("#id_meeting_url", ZOOM)
        mentor_page.locator("#sessions button", has_text="Plan it").click()
        mentor_page.locator("text=Session planned.").wait_for()
        session = MentorshipSession.objects.get(mentorship=mentorship)
        starts = dt.datetime.combine(day, dt.time(9), tzinfo=TORONTO)
        assert session.starts_at == starts
        assert session.meeting_url == ZOOM

        # Then the contributor's page shows Toronto time and the seeker's Pakistan time
        toronto = starts.astimezone(TORONTO)
        karachi = starts.astimezone(KARACHI)
        mentor_heading = mentor_page.locator("#sessions article.session h3").inner_text()
        assert toronto.strftime("%H:%M ") + toronto.tzname() in mentor_heading
        seeker_page.goto(live_server.url + mentorship_path)
        seeker_heading = seeker_page.locator("#sessions article.session h3").inner_text()
        assert karachi.strftime("%H:%M PKT") in seeker_heading
        assert "Zoom" in seeker_page.locator("#sessions article.session").inner_text()

        # And both download the same invite, with the link and the right instant
        ics = f"/brain-gain/sessions/{session.pk}.ics"
        invites = [_invite(mentor_page, live_server, ics), _invite(seeker_page, live_server, ics)]
        events = [next(iter(invite.walk("VEVENT"))) for invite in invites]
        assert events[0]["UID"] == events[1]["UID"]
        for event in events:
            assert event.decoded("DTSTART") == starts
            assert ZOOM in str(event["LOCATION"]) + str(event.get("URL", ""))
    finally:
        mentor_context.close()
        seeker_context.close()
