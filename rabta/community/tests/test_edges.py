"""Edges found in review: times in the reader's zone, what a chapter lead may undo, links in
every form, who reads a hide's reason, places freed by leaving, hidden discussions' posts,
what a ban stops, and cities that only look alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from rabta.community import selectors, services
from rabta.community.models import ChapterEvent, Post, Rsvp, RsvpStatus
from rabta.community.tests import factories as f
from rabta.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _lead_of(place):
    lead = f.trusted(f.contributor())
    handle = services.member_ensure(user=lead).handle
    services.chapter_lead_set(actor=f.staff(), chapter=place, handle=handle, lead=True)
    return lead


def test_an_events_times_are_shown_in_each_zone(client):
    place = f.chapter()
    winter = dt.date(timezone.localdate().year + 1, 1, 15)
    event = f.event(
        f.staff(),
        place,
        starts_local=dt.datetime.combine(winter, dt.time(18, 0)),
        time_zone="America/Toronto",
    )
    reader = f.contributor()  # Europe/London, a member by location
    client.force_login(reader)
    page = client.get(reverse("community:event", args=[event.pk])).content.decode()
    assert "23:00 — your time (Europe/London)" in page
    assert "18:00 — the event&#x27;s time (America/Toronto)" in page
    assert "04:00 — Pakistan time (Asia/Karachi)" in page


def test_a_lead_cannot_undo_a_moderator_but_may_undo_a_lead():
    place = f.chapter()
    lead = _lead_of(place)
    member = f.trusted(f.contributor())
    thread = f.thread(member, category=place.category)
    by_moderator = services.reply_create(user=member, thread=thread, body="first")
    by_lead = services.reply_create(user=member, thread=thread, body="second")
    services.post_hide(moderator=f.moderator(), post=by_moderator, reason="Abuse")
    services.post_hide(moderator=lead, post=by_lead, reason="Heated")
    with pytest.raises(DomainError):
        services.post_unhide(moderator=lead, post=by_moderator, reason="I disagree")
    assert Post.objects.get(pk=by_moderator.pk).hidden_at is not None
    services.post_unhide(moderator=lead, post=by_lead, reason="Cooled down")
    assert Post.objects.get(pk=by_lead.pk).hidden_at is None
    services.thread_lock_set(moderator=f.moderator(), thread=thread, locked=True, reason="Stop")
    thread.refresh_from_db()
    with pytest.raises(DomainError):
        services.thread_lock_set(moderator=lead, thread=thread, locked=False, reason="Reopen")
    thread.refresh_from_db()
    assert thread.locked_at is not None


def test_a_lead_cannot_moderate_their_own_post_back():
    place = f.chapter()
    lead = _lead_of(place)
    thread = f.thread(lead, category=place.category)
    own = services.reply_create(user=lead, thread=thread, body="my own words")
    services.post_hide(moderator=f.moderator(), post=own, reason="Abuse")
    with pytest.raises(DomainError):
        services.post_unhide(moderator=lead, post=Post.objects.get(pk=own.pk), reason="Mine")


def test_a_lead_sees_the_hidden_discussions_of_their_chapter(client):
    place = f.chapter()
    lead = _lead_of(place)
    member = f.trusted(f.contributor())
    thread = f.thread(member, category=place.category)
    services.post_hide(moderator=lead, post=thread.posts.get(number=1), reason="Spam")
    client.force_login(lead)
    assert client.get(reverse("community:thread", args=[thread.pk])).status_code == 200
    client.force_login(f.contributor())  # another member of the chapter
    assert client.get(reverse("community:thread", args=[thread.pk])).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        "[a](//spam.example) [b](//spam.example)",
        "<http://a.example> <http://b.example>",
        "[a](HTTPS://A.EXAMPLE) [b](https://b.example)",
    ],
)
def test_every_kind_of_link_counts_against_a_new_member(body):
    newcomer = f.contributor()
    thread = f.thread(f.contributor())
    with pytest.raises(DomainError):
        services.reply_create(user=newcomer, thread=thread, body=body)
    assert not Post.objects.filter(author=newcomer).exists()


def test_a_hides_reason_is_for_the_author_and_the_moderators(client):
    author = f.trusted(f.contributor())
    thread = f.thread(author)
    reply = services.reply_create(user=author, thread=thread, body="my address is ...")
    services.post_hide(moderator=f.moderator(), post=reply, reason="Shares a home address")
    client.force_login(f.engineer())
    page = client.get(reverse("community:thread", args=[thread.pk])).content.decode()
    assert "Shares a home address" not in page
    client.force_login(author)
    assert (
        "Shares a home address"
        in client.get(reverse("community:thread", args=[thread.pk])).content.decode()
    )


def test_leaving_gives_places_to_members_waiting(django_capture_on_commit_callbacks):
    place = f.chapter()
    event = f.event(f.staff(), place, capacity=1)
    going, left_waiting, waiting = (f.contributor() for _n in range(3))
    services.rsvp_set(user=going, event=event, going=True)
    services.rsvp_set(user=left_waiting, event=event, going=True)
    services.rsvp_set(user=waiting, event=event, going=True)
    services.chapter_leave(user=left_waiting, chapter=place)  # first in the queue, now gone
    assert Rsvp.objects.get(event=event, user=left_waiting).status == RsvpStatus.CANCELLED
    services.chapter_leave(user=going, chapter=place)
    assert Rsvp.objects.get(event=event, user=going).status == RsvpStatus.CANCELLED
    assert Rsvp.objects.get(event=event, user=waiting).status == RsvpStatus.GOING
    assert ChapterEvent.objects.get(pk=event.pk).going_count == 1


def test_posts_of_a_hidden_discussion_are_out_of_reach(client):
    author = f.trusted(f.contributor())
    thread = f.thread(author)
    reply = services.reply_create(user=f.trusted(f.engineer()), thread=thread, body="a reply")
    services.post_hide(moderator=f.moderator(), post=thread.posts.get(number=1), reason="Spam")
    reader = f.engineer()
    client.force_login(reader)
    response = client.post(
        reverse("community:post", args=[reply.pk]), {"action": "flag", "reason": "spam"}
    )
    assert response.status_code == 404
    assert not reply.flags.exists()
    with pytest.raises(DomainError):
        services.flag_create(
            user=reader, post=Post.objects.get(pk=thread.posts.get(number=1).pk), reason="spam"
        )


def test_a_ban_stops_applying_sharing_and_renaming():
    person = f.contributor()
    services.user_ban(moderator=f.moderator(), user=person, reason="Spam", days=3)
    staff = f.staff()
    call = f.panel_call(staff)
    with pytest.raises(DomainError):
        services.call_apply(user=person, call=call, statement="x" * 60)
    with pytest.raises(DomainError):
        services.handle_change(user=person, handle="new-name")
    assert not call.applications.exists()


def test_cities_that_only_begin_alike_are_different_places():
    bath = f.chapter("GB", "Bath")
    in_bathgate = f.contributor("GB", "Bathgate")
    in_bath = f.contributor("GB", "Bath")
    assert selectors.membership_of(user=in_bathgate, chapter=bath) is None
    assert selectors.membership_of(user=in_bath, chapter=bath) is not None
