"""A contributor hears of a Brain Gain request by email, from a real SMTP server: they follow
the email's link on their phone, sign in on the way, accept, and the seeker's acceptance email
arrives at the same server with its one-click unsubscribe and a link to the match."""

import re
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from rabta.accounts.tests.factories import PASSWORD
from rabta.braingain import services
from rabta.braingain.models import Mentorship, MentorshipStatus, RequestStatus
from rabta.braingain.tests.conftest import contributor, engineer, post_ask
from rabta.core.models import Email
from rabta.core.preferences import unsubscribe_read

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
URL = re.compile(r"https?://[^\s<>\"]+")
FOOTER = "\n-- \n"  # the signature separator before "Stop these emails"


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def _parts(message):
    """The plain-text and HTML parts of a received multipart message."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    # SMTP carries CRLF line ends; compare as the text was written
    return text.get_content().replace("\r\n", "\n"), html.get_content()


def _the_link(message) -> str:
    """The one link of the notice, from the plain text above the footer, checked to be the
    HTML part's button as well."""
    text, html = _parts(message)
    assert FOOTER in text
    links = URL.findall(text.split(FOOTER)[0])
    assert len(links) == 1, text
    hrefs = _Hrefs()
    hrefs.feed(html)
    assert links[0] in hrefs.hrefs, html
    return links[0]


def _arrived(collector, count: int, seconds: float = 10) -> list:
    """The server's messages once there are at least ``count``, then a moment more so a
    duplicate would show."""
    deadline = time.monotonic() + seconds
    while len(collector.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    return list(collector.messages)


def _sign_in_on_the_way(page, user, target: str) -> None:
    """Open ``target`` signed out: the login page comes first, then the target itself."""
    page.goto(target)
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/login/")
    assert parse_qs(urlsplit(page.url).query)["next"] == [urlsplit(target).path]
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(target)


def test_request_email_link_to_accept_to_seeker_acceptance_email(
    live_server, settings, smtp_server, page, browser
):
    # The live server's thread builds links from SITE_URL and sends through the same settings
    settings.SITE_URL = live_server.url
    seeker = engineer()
    mentor = contributor(user__display_name="Bilal Qureshi")
    ask = post_ask(seeker, title="Review my solar mini-grid load estimate")

    # Given the seeker sends the ask to the contributor
    match_request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)

    # Then the contributor's request email arrives at the SMTP server, once
    received = _arrived(smtp_server, 1)
    assert len(received) == 1
    request_email = received[0]
    assert request_email["To"] == mentor.email
    assert request_email["Subject"] == f"New request: {ask.title}"
    request_link = _the_link(request_email)
    assert request_link == f"{live_server.url}/brain-gain/requests/{match_request.pk}/"

    # When the contributor, signed out on a phone, follows the link from the email's text
    _sign_in_on_the_way(page, mentor, request_link)

    # Then the request is shown, waiting for their answer
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    page.locator("h1", has_text=ask.title).wait_for()
    page.locator("#respond").wait_for()

    # When they accept it
    page.click("#respond button[value=accept]")

    # Then they land on the new mentorship, and the request is accepted
    page.wait_for_url("**/brain-gain/mentorships/*/")
    mentorship = Mentorship.objects.get(ask=ask)
    assert (mentorship.mentor_id, mentorship.mentee_id) == (mentor.pk, seeker.pk)
    assert mentorship.status == MentorshipStatus.AGREEING
    match_request.refresh_from_db()
    assert match_request.status == RequestStatus.ACCEPTED
    mentorship_url = f"{live_server.url}/brain-gain/mentorships/{mentorship.pk}/"
    assert page.url == mentorship_url

    # And exactly one acceptance email arrives, for the seeker
    received = _arrived(smtp_server, 2)
    accepted_subject = f"Accepted: {ask.title}. Agree the terms together."
    accepted = [m for m in received[1:] if m["Subject"] == accepted_subject]
    assert len(accepted) == 1, [(m["To"], m["Subject"]) for m in received]
    acceptance = accepted[0]
    assert acceptance["To"] == seeker.email
    assert [m for m in received if m["To"] == seeker.email] == [acceptance]
    assert Email.objects.get(user=seeker, kind="braingain.accepted").state == Email.State.SENT

    # With a one-click unsubscribe from this kind only (RFC 8058), for the seeker
    assert acceptance["List-Unsubscribe"] is not None
    # a long header is folded on the wire; unfolded, it keeps the fold's leading space
    unsubscribe = str(acceptance["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith(f"<{live_server.url}/")
    assert unsubscribe.endswith(">")
    assert acceptance["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = urlsplit(unsubscribe.strip("<>")).path.rstrip("/").rsplit("/", 1)[-1]
    named = unsubscribe_read(token)
    assert named is not None
    assert (named[0].pk, named[1]) == (seeker.pk, "braingain.accepted")

    # And its link (in both parts) is the match of the ask, which the seeker can open
    accepted_link = _the_link(acceptance)
    assert accepted_link == mentorship_url
    seeker_context = browser.new_context(viewport=PHONE, locale="en-GB")
    try:
        seeker_page = seeker_context.new_page()
        seeker_page.set_default_timeout(15_000)
        _sign_in_on_the_way(seeker_page, seeker, accepted_link)
        seeker_page.locator("h1", has_text=ask.title).wait_for()
    finally:
        seeker_context.close()
