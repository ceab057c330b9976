"""The same stored instant on real pages, for readers in Pakistan, Toronto and Sydney: each sees
it on their own clock, named, including either side of a daylight-saving change (Toronto falls
back on 1 November 2026 at 06:00 UTC, repeating 01:00-02:00; Sydney springs forward on 4 October
2026 at 02:00, which is 16:00 UTC on the 3rd).

The instants avoid Toronto's repeated hour: there Django's ``|date`` leaves ``T`` empty, because
the wall time alone could be either offset."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rabta.accounts.models import User
from rabta.braingain import services as braingain
from rabta.braingain.models import MatchRequest
from rabta.braingain.tests.conftest import contributor as braingain_contributor
from rabta.braingain.tests.conftest import engineer, post_ask
from rabta.community.models import ChapterEvent
from rabta.community.tests import factories as community
from rabta.core.models import Job, Notification

pytestmark = pytest.mark.django_db

ZONES = ("Asia/Karachi", "America/Toronto", "Australia/Sydney")
BEFORE_TORONTO_FALLS_BACK = dt.datetime(2026, 11, 1, 4, 30, tzinfo=dt.UTC)
AFTER_TORONTO_FALLS_BACK = dt.datetime(2026, 11, 1, 7, 30, tzinfo=dt.UTC)
AFTER_SYDNEY_SPRINGS_FORWARD = dt.datetime(2026, 10, 3, 16, 30, tzinfo=dt.UTC)


def _as(client, user: User, zone: str) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=user.pk).update(time_zone=zone)
    client.force_login(user)


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Karachi", ["Sunday 1 November 2026, 12:30 — your time (Asia/Karachi)"]),
        (
            "America/Toronto",
            [
                "Sunday 1 November 2026, 02:30 — your time (America/Toronto)",
                "Sunday 1 November 2026, 12:30 — Pakistan time (Asia/Karachi)",
            ],
        ),
        (
            "Australia/Sydney",
            [
                "Sunday 1 November 2026, 18:30 — your time (Australia/Sydney)",
                "Sunday 1 November 2026, 12:30 — Pakistan time (Asia/Karachi)",
            ],
        ),
    ],
)
def test_a_community_event_in_each_readers_zone(client, zone, shown):
    place = community.chapter()
    event = community.event(community.staff(), place)
    ChapterEvent.objects.filter(pk=event.pk).update(starts_at=AFTER_TORONTO_FALLS_BACK)
    reader = community.contributor()  # a member by location, London
    _as(client, reader, zone)
    page = _page(client, reverse("community:event", args=[event.pk]))
    for line in shown:
        assert f"<li>{line}</li>" in page
    assert "07:30 — the event&#x27;s time (Europe/London)</li>" in page
    assert page.count("<li>Sunday 1 November 2026, ") == len(shown) + 1


@pytest.mark.parametrize(
    ("zone", "sent"),
    [
        ("Asia/Karachi", "3 Oct 2026, 21:30 PKT"),
        ("America/Toronto", "3 Oct 2026, 12:30 EDT"),
        ("Australia/Sydney", "4 Oct 2026, 03:30 AEDT"),
    ],
)
def test_a_braingain_ask_in_each_readers_zone(client, zone, sent):
    seeker = engineer()
    mentor = braingain_contributor()
    ask = post_ask(seeker)
    braingain.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    MatchRequest.objects.update(created_at=AFTER_SYDNEY_SPRINGS_FORWARD)
    _as(client, seeker, zone)
    page = _page(client, reverse("braingain:ask", args=[ask.pk]))
    assert f"<td>{sent}</td>" in page


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        ("Asia/Karachi", "1 Nov 2026, 09:30 PKT", "1 Nov 2026, 12:30 PKT"),
        ("America/Toronto", "1 Nov 2026, 00:30 EDT", "1 Nov 2026, 02:30 EST"),
        ("Australia/Sydney", "1 Nov 2026, 15:30 AEDT", "1 Nov 2026, 18:30 AEDT"),
    ],
)
def test_the_inbox_in_each_readers_zone_across_torontos_change(client, zone, before, after):
    reader = engineer()
    for title, at in (("Before", BEFORE_TORONTO_FALLS_BACK), ("After", AFTER_TORONTO_FALLS_BACK)):
        notice = Notification.objects.create(user=reader, kind="test.notice", title=title)
        Notification.objects.filter(pk=notice.pk).update(created_at=at)
    _as(client, reader, zone)
    page = _page(client, reverse("core:inbox"))
    assert f'<strong>After</strong><br><small class="help">{after}</small>' in page
    assert f'<strong>Before</strong><br><small class="help">{before}</small>' in page


@pytest.mark.parametrize(
    ("zone", "started"),
    [
        ("Asia/Karachi", "3 Oct 2026, 21:30 PKT"),
        ("America/Toronto", "3 Oct 2026, 12:30 EDT"),
        ("Australia/Sydney", "4 Oct 2026, 03:30 AEDT"),
    ],
)
def test_a_job_page_in_each_readers_zone(client, zone, started):
    reader = engineer()
    job = Job.objects.create(name="rabta.test.job", started_by=reader, state="succeeded")
    Job.objects.filter(pk=job.pk).update(created_at=AFTER_SYDNEY_SPRINGS_FORWARD)
    _as(client, reader, zone)
    page = _page(client, reverse("core:job", args=[job.pk]))
    assert f'<p class="help">Started {started}.</p>' in page


def test_a_contributor_without_an_own_zone_reads_in_their_profile_zone(client):
    mentor = braingain_contributor(time_zone="Australia/Sydney")
    assert mentor.time_zone == ""
    notice = Notification.objects.create(user=mentor, kind="test.notice", title="Hello")
    Notification.objects.filter(pk=notice.pk).update(created_at=AFTER_TORONTO_FALLS_BACK)
    client.force_login(mentor)
    page = _page(client, reverse("core:inbox"))
    assert '<small class="help">1 Nov 2026, 18:30 AEDT</small>' in page
