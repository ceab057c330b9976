"""Deleting an account removes or anonymises exactly what the personal-data registry says:
afterwards no row points at the person (except rows kept with a reason), and what others rely
on is still there, by "Deleted account"."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from rabta.accounts.models import ContributorProfile, User
from rabta.accounts.services import deleted_account, user_delete
from rabta.accounts.tests.factories import PASSWORD
from rabta.braingain.models import ConversationMember, Mentorship, MentorshipStatus, Message
from rabta.community import services as community
from rabta.community.models import Post, Thread
from rabta.community.tests.factories import thread, trusted
from rabta.core.models import AuditLog, Event
from rabta.core.personal_data import Action, rule_for, user_foreign_keys
from rabta.portfolio.models import PortfolioItem
from rabta.portfolio.tests.conftest import profiled_engineer
from rabta.programme.models import Application
from tests.test_personal_data_export import busy_engineer

pytestmark = pytest.mark.django_db


def _rows_pointing_at(user_id: int) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("rabta."):
            continue
        for model in config.get_models():
            for column in user_foreign_keys(model):
                if column.many_to_many:
                    continue  # the through model's own column is walked
                pks = set(
                    model._default_manager.filter(**{column.attname: user_id}).values_list(
                        "pk", flat=True
                    )
                )
                if pks:
                    found[f"{model._meta.label}.{column.name}"] = pks
    return found


def _model(key: str) -> Any:
    return apps.get_model(key.rsplit(".", 1)[0])


def test_after_deletion_no_row_points_at_the_person_and_anonymised_rows_remain():
    busy = busy_engineer()
    user_id = busy.engineer.pk
    before = _rows_pointing_at(user_id)
    assert {"braingain.Message.author", "community.Post.author", "programme.Application.user"} <= (
        set(before)
    )

    user_delete(user=busy.engineer, password=PASSWORD)

    assert _rows_pointing_at(user_id) == {}
    assert not User.objects.filter(pk=user_id).exists()
    for key, pks in before.items():
        rule = rule_for(key)
        assert rule is not None, key
        left = set(_model(key)._default_manager.filter(pk__in=pks).values_list("pk", flat=True))
        if rule.action == Action.DELETE:
            assert left == set(), key
    assert not Event.objects.filter(actor_id=user_id).exists()
    assert not Event.objects.filter(subject_type="accounts.user", subject_id=user_id).exists()
    # kept with a reason: the audit log says the account was deleted
    kept = AuditLog.objects.filter(target_type="accounts.user", target_id=str(user_id))
    assert "account.deleted" in set(kept.values_list("action", flat=True))


def test_the_other_side_of_a_conversation_still_reads_it_by_a_deleted_account():
    busy = busy_engineer()
    user_delete(user=busy.engineer, password=PASSWORD)

    placeholder = deleted_account()
    mentorship = Mentorship.objects.get(pk=busy.mentorship.pk)
    assert (mentorship.mentor, mentorship.mentee) == (busy.mentor, placeholder)
    assert mentorship.status == MentorshipStatus.ENDED
    assert ContributorProfile.objects.get(user=busy.mentor).active_count == 0
    messages = Message.objects.filter(conversation=busy.conversation).order_by("pk")
    assert [(m.body, m.author_id) for m in messages] == [
        ("Here is my load-flow draft", None),
        ("Mentor's private reply about sizing", busy.mentor.pk),
    ]
    members = ConversationMember.objects.filter(conversation=busy.conversation)
    assert list(members.values_list("user_id", flat=True)) == [busy.mentor.pk]


def test_forum_posts_keep_their_text_by_a_deleted_account(client):
    busy = busy_engineer()
    started = Thread.objects.get(title="Inverter sizing")
    user_delete(user=busy.engineer, password=PASSWORD)

    placeholder = deleted_account()
    posts = Post.objects.filter(thread=started).order_by("number")
    assert [(p.body, p.author_id) for p in posts] == [
        ("What DC/AC ratio in Lahore?", placeholder.pk),
        ("Other engineer's answer: 1.2", busy.other.pk),
        ("Thanks, 1.2 it is", placeholder.pk),
    ]
    client.force_login(busy.other)
    page = client.get(reverse("community:thread", args=[started.pk])).content.decode()
    assert "Deleted account" in page
    assert "What DC/AC ratio in Lahore?" in page


def test_another_persons_data_is_untouched():
    busy = busy_engineer()
    user_delete(user=busy.engineer, password=PASSWORD)
    assert Application.objects.filter(user=busy.other).count() == 1
    assert PortfolioItem.objects.filter(portfolio__owner=busy.other).count() == 1
    assert Post.objects.filter(author=busy.other).count() == 1
    assert User.objects.filter(pk__in=[busy.other.pk, busy.mentor.pk]).count() == 2


def test_two_deleted_people_share_one_placeholder_without_clashing():
    first, second = profiled_engineer(), profiled_engineer()
    started = thread(first, title="Shared", body="Opening")
    trusted(second)
    community.reply_create(user=second, thread=started, body="Reply", nonce="same-key")
    community.reply_create(user=first, thread=started, body="Again", nonce="same-key")

    user_delete(user=first, password=PASSWORD)
    user_delete(user=second, password=PASSWORD)

    placeholder = deleted_account()
    assert User.objects.filter(email=placeholder.email).count() == 1
    assert not placeholder.is_active
    assert not placeholder.has_usable_password()
    assert (
        list(Post.objects.filter(thread=started).values_list("author_id", flat=True))
        == [placeholder.pk] * 3
    )


def test_the_placeholder_cannot_be_deleted():
    from rabta.core.errors import DomainError

    placeholder = deleted_account()
    placeholder.set_password(PASSWORD)
    with pytest.raises(DomainError):
        user_delete(user=placeholder, password=PASSWORD)
    assert User.objects.filter(pk=placeholder.pk).exists()
