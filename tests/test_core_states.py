"""The one state-machine helper, on a small machine over a real column (a person's language),
so these tests stand apart from any app's own machine."""

import pytest

from rabta.accounts.models import User
from rabta.accounts.tests.factories import UserFactory
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.models import AuditLog, Event
from rabta.core.states import Machine, step, transition, transition_many

pytestmark = pytest.mark.django_db

LANGUAGE = Machine(
    "language",
    "preferred_language",
    {
        "to_urdu": step({"en"}, "ur", {"owner", "system"}, event="test.switched"),
        "to_english": step({"ur"}, "en", {"owner", "system"}),
    },
)


def test_an_allowed_step_saves_the_column_audits_and_records_its_event():
    person = UserFactory(preferred_language="en")
    before = transition(
        LANGUAGE, person, "to_urdu", part="owner", actor=person, dimensions={"country": "PK"}
    )
    assert before == "en"
    assert User.objects.get(pk=person.pk).preferred_language == "ur"
    audit = AuditLog.objects.get(action="language.to_urdu")
    assert audit.actor_id == person.pk
    assert audit.target_id == str(person.pk)
    assert audit.details == {"part": "owner", "before": "en", "after": "ur"}
    event = Event.objects.get(kind="test.switched")
    assert (event.actor_id, event.subject_id, event.country) == (person.pk, person.pk, "PK")


def test_a_step_from_the_wrong_state_changes_nothing():
    person = UserFactory(preferred_language="ur")
    with pytest.raises(DomainError) as refused:
        transition(LANGUAGE, person, "to_urdu", part="owner", actor=person)
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    assert User.objects.get(pk=person.pk).preferred_language == "ur"
    assert not AuditLog.objects.filter(action__startswith="language.").exists()
    assert not Event.objects.filter(kind="test.switched").exists()


def test_a_part_not_in_the_table_is_forbidden_and_an_unknown_action_refused():
    person = UserFactory(preferred_language="en")
    with pytest.raises(DomainError) as forbidden:
        transition(LANGUAGE, person, "to_urdu", part="staff", actor=None)
    assert forbidden.value.code == ErrorCode.FORBIDDEN
    with pytest.raises(DomainError) as unknown:
        transition(LANGUAGE, person, "shout", part="owner", actor=person)
    assert unknown.value.code == ErrorCode.INVALID_TRANSITION
    assert User.objects.get(pk=person.pk).preferred_language == "en"
    assert not AuditLog.objects.filter(action__startswith="language.").exists()


def test_other_changed_fields_are_saved_with_the_step_and_nothing_else():
    person = UserFactory(preferred_language="ur", display_name="Before")
    person.display_name = "After"
    transition(LANGUAGE, person, "to_english", part="owner", actor=person, fields=["display_name"])
    fresh = User.objects.get(pk=person.pk)
    assert (fresh.preferred_language, fresh.display_name) == ("en", "After")
    person.display_name = "Not saved"
    transition(LANGUAGE, person, "to_urdu", part="owner", actor=person)
    assert User.objects.get(pk=person.pk).display_name == "After"


def test_a_batch_moves_together_with_one_audit_row_each():
    people = [UserFactory(preferred_language="ur") for _ in range(3)]
    assert transition_many(LANGUAGE, people, "to_english", part="system", actor=None) == 3
    assert set(User.objects.values_list("preferred_language", flat=True)) == {"en"}
    assert AuditLog.objects.filter(action="language.to_english").count() == 3


def test_a_batch_with_one_object_in_the_wrong_state_changes_none():
    people = [UserFactory(preferred_language="ur"), UserFactory(preferred_language="en")]
    with pytest.raises(DomainError):
        transition_many(LANGUAGE, people, "to_english", part="system", actor=None)
    assert sorted(User.objects.values_list("preferred_language", flat=True)) == ["en", "ur"]
    assert not AuditLog.objects.filter(action__startswith="language.").exists()


def test_a_batch_step_that_records_events_needs_each_objects_dimensions():
    people = [UserFactory(preferred_language="en")]
    with pytest.raises(ValueError, match="dimensions"):
        transition_many(LANGUAGE, people, "to_urdu", part="system", actor=None)
    assert User.objects.get(pk=people[0].pk).preferred_language == "en"
    assert not Event.objects.exists()


def test_a_batch_records_each_objects_event_with_its_own_dimensions():
    people = [UserFactory(preferred_language="en") for _ in range(2)]
    countries = {people[0].pk: "PK", people[1].pk: "GB"}
    transition_many(
        LANGUAGE,
        people,
        "to_urdu",
        part="system",
        actor=None,
        dimensions=lambda person: {"country": countries[person.pk]},
    )
    recorded = dict(Event.objects.filter(kind="test.switched").values_list("subject_id", "country"))
    assert recorded == countries


def test_the_table_answers_what_a_part_may_do():
    assert LANGUAGE.allowed("en", "owner") == ["to_urdu"]
    assert LANGUAGE.allowed("en", "staff") == []
    assert LANGUAGE.can("ur", "to_english")
    assert not LANGUAGE.can("en", "to_english")
    assert LANGUAGE.states == {"en", "ur"}


def test_a_batch_refuses_when_a_row_changed_after_it_was_read_and_changes_none():
    people = [UserFactory(preferred_language="ur") for _ in range(3)]
    # another request moves one of them on after the batch was loaded
    User.objects.filter(pk=people[1].pk).update(preferred_language="en")
    with pytest.raises(DomainError) as refused:
        transition_many(LANGUAGE, people, "to_english", part="system", actor=None)
    assert refused.value.code == ErrorCode.CONFLICT
    assert User.objects.get(pk=people[0].pk).preferred_language == "ur"
    assert User.objects.get(pk=people[2].pk).preferred_language == "ur"
    assert not AuditLog.objects.filter(action__startswith="language.").exists()


def test_a_step_may_keep_the_audit_name_it_always_had():
    renamed = Machine(
        "language",
        "preferred_language",
        {"to_urdu_now": step({"en"}, "ur", {"owner"}, audit="to_urdu")},
    )
    person = UserFactory(preferred_language="en")
    transition(renamed, person, "to_urdu_now", part="owner", actor=person)
    assert list(AuditLog.objects.values_list("action", flat=True)) == ["language.to_urdu"]
