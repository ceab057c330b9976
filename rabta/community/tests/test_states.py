"""The community's state machines: every status a model knows is in its machine, status
changes are audited, and notices that legitimately repeat (a lead appointed again, a post
hidden again) are given again."""

from __future__ import annotations

import pytest

from rabta.community import services, states
from rabta.community.models import (
    CallStatus,
    HonourStatus,
    NominationStatus,
    PanelApplicationStatus,
    RsvpStatus,
)
from rabta.community.tests import factories as f
from rabta.core.models import AuditLog, Notification


@pytest.mark.parametrize(
    ("machine", "choices"),
    [
        (states.RSVP, RsvpStatus),
        (states.NOMINATION, NominationStatus),
        (states.HONOUR, HonourStatus),
        (states.CALL, CallStatus),
        (states.PANEL_APPLICATION, PanelApplicationStatus),
    ],
)
def test_each_machine_knows_every_status_of_its_model(machine, choices):
    assert machine.states == frozenset(choices.values)


@pytest.mark.django_db
def test_an_rsvp_change_is_audited():
    place = f.chapter()
    event = f.event(f.staff(), place, capacity=1)
    person = f.contributor()
    services.rsvp_set(user=person, event=event, going=True)
    services.rsvp_set(user=person, event=event, going=False)
    actions = list(
        AuditLog.objects.filter(action__startswith="community.rsvp.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["community.rsvp.go", "community.rsvp.cancel"]


@pytest.mark.django_db
def test_a_lead_made_lead_again_after_removal_is_told_again():
    place = f.chapter()
    person = f.contributor()
    handle = services.member_ensure(user=person).handle
    staff = f.staff()
    services.chapter_lead_set(actor=staff, chapter=place, handle=handle, lead=True)
    services.chapter_lead_set(actor=staff, chapter=place, handle=handle, lead=True)
    assert Notification.objects.filter(user=person, kind="community.chapter_lead").count() == 1
    services.chapter_lead_set(actor=staff, chapter=place, handle=handle, lead=False)
    services.chapter_lead_set(actor=staff, chapter=place, handle=handle, lead=True)
    assert Notification.objects.filter(user=person, kind="community.chapter_lead").count() == 2


@pytest.mark.django_db
def test_a_post_hidden_again_after_being_shown_tells_its_author_again():
    author = f.trusted(f.contributor())
    thread = f.thread(author)
    reply = services.reply_create(user=author, thread=thread, body="A reply to moderate")
    moderator = f.moderator()
    services.post_hide(moderator=moderator, post=reply, reason="Off topic")
    services.post_unhide(moderator=moderator, post=reply, reason="On reflection, fine")
    services.post_hide(moderator=moderator, post=reply, reason="Off topic after all")
    assert Notification.objects.filter(user=author, kind="community.post_hidden").count() == 2


@pytest.mark.django_db
def test_a_new_panel_call_is_announced_to_the_contributors_of_its_sector_once(
    django_capture_on_commit_callbacks,
):
    from rabta.accounts.tests.factories import ContributorProfileFactory

    water = ContributorProfileFactory(sectors=["water"]).user
    energy = ContributorProfileFactory(sectors=["energy"]).user
    staff = f.staff()
    with django_capture_on_commit_callbacks(execute=True):
        call = f.panel_call(staff, title="Water board", sector="water")
    assert list(
        Notification.objects.filter(kind="community.call_opened").values_list("user_id", "title")
    ) == [(water.pk, f"A new panel call: Water board. Applications close on {call.closes_on}.")]
    assert services.call_announce(call_id=call.pk) == 0  # a second run tells nobody again
    with django_capture_on_commit_callbacks(execute=True):
        f.panel_call(staff, title="Any sector")
    assert Notification.objects.filter(kind="community.call_opened", user=energy).count() == 1
