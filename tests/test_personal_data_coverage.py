"""Every column that points at a person is covered by the personal-data registry: exported and
deleted or anonymised (or kept, with a written reason), or its model is excluded with a reason.
A new model with a foreign key to the user fails here until its app says what it does."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from rabta.core.personal_data import (
    Action,
    exclusions,
    rule_for,
    sections,
    user_foreign_keys,
)


def _rabta_models() -> list[type[models.Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("rabta.")
        for model in config.get_models()
    ]


def _user_columns() -> dict[str, models.Field]:  # type: ignore[type-arg]
    return {
        f"{model._meta.label}.{column.name}": column
        for model in _rabta_models()
        for column in user_foreign_keys(model)
    }


def test_every_column_pointing_at_a_person_has_a_rule_or_a_reasoned_exclusion():
    excluded = exclusions()
    missing = sorted(
        key
        for key in _user_columns()
        if rule_for(key) is None and key.rsplit(".", 1)[0] not in excluded
    )
    assert missing == []


def test_the_walk_sees_the_new_conversation_models():
    columns = _user_columns()
    assert {
        "braingain.ConversationMember.user",
        "braingain.Message.author",
        "braingain.MessageReport.reporter",
        "braingain.MilestoneMeeting.created_by",
        "braingain.MentorshipSession.created_by",
        "accounts.Institution.members",
    } <= set(columns)


def test_every_rule_names_a_real_column_that_points_at_a_person():
    columns = _user_columns()
    stale = sorted(key for s in sections() for key in s.rules if key not in columns)
    assert stale == []


def test_kept_rows_survive_the_deletion_of_the_person():
    """A row kept with a reason must not be deleted by the database's cascade after all."""
    columns = _user_columns()
    cascading = sorted(
        key
        for s in sections()
        for key, rule in s.rules.items()
        if rule.action == Action.KEEP and columns[key].remote_field.on_delete is models.CASCADE
    )
    assert cascading == []


@pytest.mark.parametrize("action", [Action.KEEP, Action.ANONYMISE])
def test_rows_kept_for_others_say_why(action):
    unexplained = sorted(
        key
        for s in sections()
        for key, rule in s.rules.items()
        if rule.action == action and len(rule.reason.strip()) < 20
    )
    assert unexplained == []


def test_exclusions_are_real_models_with_a_reason():
    for label, reason in exclusions().items():
        assert apps.get_model(label) is not None
        assert len(reason.strip()) >= 20


def test_every_app_with_personal_data_has_a_section():
    owning = {key.split(".", 1)[0] for key in _user_columns()}
    assert owning - {"accounts"} <= {s.app for s in sections()}
    assert {s.app for s in sections()} == {
        "core",
        "accounts",
        "programme",
        "profiling",
        "portfolio",
        "braingain",
        "community",
    }
