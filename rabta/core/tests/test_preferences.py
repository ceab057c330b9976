"""Preferences, the unsubscribe token and the reader's clock, on core alone (no app models:
the person is whatever the user model is)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.utils import timezone, translation

from rabta.core.errors import DomainError
from rabta.core.kinds import NoticeKind, delivery_choices, kinds_register
from rabta.core.models import Delivery, NoticePreference, Notification
from rabta.core.preferences import (
    delivery_for,
    preferences_save,
    unsubscribe,
    unsubscribe_read,
    unsubscribe_token,
)

pytestmark = pytest.mark.django_db

CHATTY = NoticeKind(key="coretest.chatty", label="Chatty", title="Hi", delivery=Delivery.DAILY)
URGENT = NoticeKind(key="coretest.urgent", label="Urgent", title="Now", always=True)
kinds_register(CHATTY, URGENT)


def _person(n=0):
    return get_user_model().objects.create_user(
        email=f"core{n}@example.pk", password="x" * 12, display_name="P"
    )


def test_a_choice_overrides_the_default_and_the_default_is_no_row():
    person = _person()
    assert delivery_for(person, CHATTY) == "daily"
    assert preferences_save(user=person, choices={"coretest.chatty": "weekly"}) == 1
    assert delivery_for(person, CHATTY) == "weekly"
    assert preferences_save(user=person, choices={"coretest.chatty": "daily"}) == 1
    assert not NoticePreference.objects.exists()


@pytest.mark.parametrize(
    "choices",
    [
        {"coretest.chatty": "weekly", "coretest.nothing": "now"},  # undeclared kind
        {"coretest.chatty": "weekly", "coretest.urgent": "daily"},  # not offered
        {"coretest.chatty": "hourly"},
    ],
)
def test_a_bad_choice_refuses_the_whole_save(choices):
    person = _person()
    with pytest.raises(DomainError):
        preferences_save(user=person, choices=choices)
    assert not NoticePreference.objects.exists()


def test_an_always_kind_is_at_once_or_in_the_inbox_only():
    person = _person()
    assert [value for value, _label in delivery_choices(URGENT)] == ["now", "inapp"]
    NoticePreference.objects.create(user=person, kind=URGENT.key, delivery="weekly")
    assert delivery_for(person, URGENT) == "now"


def test_the_token_names_one_person_and_one_kind_and_survives_no_tampering():
    person = _person()
    token = unsubscribe_token(person.pk, CHATTY.key)
    assert token == unsubscribe_token(person.pk, CHATTY.key)  # no timestamp: old links work
    assert unsubscribe_read(token) == (person, CHATTY.key)
    assert unsubscribe_read(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert unsubscribe_read("") is None


def test_unsubscribing_a_kind_stops_its_waiting_notices_from_a_digest():
    person, other = _person(1), _person(2)
    for user in (person, other):
        Notification.objects.create(
            user=user, kind=CHATTY.key, title="t", key=f"k{user.pk}", delivery="daily"
        )
    assert [kind.key for kind in unsubscribe(user=person, kind=CHATTY.key)] == [CHATTY.key]
    assert dict(Notification.objects.values_list("user_id", "delivery")) == {
        person.pk: "inapp",
        other.pk: "daily",
    }


def test_a_time_is_shown_on_the_readers_clock_and_names_it():
    moment = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)
    template = Template("{% load local_time %}{{ moment|local_time }}")
    with translation.override("en"), timezone.override(ZoneInfo("America/Toronto")):
        assert (
            template.render(Context({"moment": moment})) == "10 Apr 2026, 08:00 (America/Toronto)"
        )
    assert template.render(Context({"moment": None})) == ""
