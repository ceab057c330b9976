"""Deleting an account removes or anonymises exactly what the personal-data registry says:
afterwards no row points at the person (except rows kept with a reason), and what others rely
on is still there, by "Deleted account"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from rabta.accounts.models import ContributorProfile, InstitutionMembership, User
from rabta.accounts.roles import Role
from rabta.accounts.services import deleted_account, user_delete
from rabta.accounts.services.personal_data import is_deleted_account
from rabta.accounts.tests.factories import PASSWORD, user_with_role
from rabta.braingain import services as bg
from rabta.braingain.models import (
    Ask,
    Conversation,
    ConversationMember,
    MatchRequest,
    Mentorship,
    MentorshipStatus,
    Message,
)
from rabta.braingain.tests.conftest import (
    MILESTONES,
    contributor,
    engineer,
    institution_rep,
    post_ask,
    project,
)
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

    mentorship = Mentorship.objects.get(pk=busy.mentorship.pk)
    placeholder = mentorship.mentee
    assert mentorship.mentor == busy.mentor
    assert (placeholder.display_name, placeholder.is_active) == ("Deleted account", False)
    assert is_deleted_account(placeholder)
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

    placeholder = Post.objects.get(thread=started, number=1).author
    assert is_deleted_account(placeholder)
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


def test_each_deleted_person_gets_a_placeholder_of_their_own_so_nothing_clashes():
    first, second = profiled_engineer(), profiled_engineer()
    started = thread(first, title="Shared", body="Opening")
    trusted(second)
    community.reply_create(user=second, thread=started, body="Reply", nonce="same-key")
    community.reply_create(user=first, thread=started, body="Again", nonce="same-key")

    user_delete(user=first, password=PASSWORD)
    user_delete(user=second, password=PASSWORD)

    authors = list(
        Post.objects.filter(thread=started).order_by("number").values_list("author", flat=True)
    )
    assert authors[0] == authors[2] != authors[1]
    for placeholder in User.objects.filter(pk__in=authors):
        assert is_deleted_account(placeholder)
        assert not placeholder.is_active
        assert not placeholder.has_usable_password()
    assert not User.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_two_contributors_who_leave_one_ask_in_turn_keep_the_mentee_both_mentorships():
    seeker, first, second = engineer(), contributor(), contributor()
    ask = post_ask(seeker)
    sent = bg.request_send(user=seeker, ask_id=ask.pk, contributor_id=first.pk)
    bg.request_respond(user=first, request_id=sent.pk, accept=True)
    earlier = Mentorship.objects.get(request=sent)
    user_delete(user=first, password=PASSWORD)  # the ask moves on to the next suggestion
    sent = MatchRequest.objects.get(ask=ask, status="pending")
    assert sent.contributor_id == second.pk
    bg.request_respond(user=second, request_id=sent.pk, accept=True)
    later = Mentorship.objects.get(request=sent)

    user_delete(user=second, password=PASSWORD)

    kept = Mentorship.objects.filter(mentee=seeker).order_by("pk")
    assert list(kept.values_list("pk", flat=True)) == [earlier.pk, later.pk]
    mentors = [m.mentor for m in kept]
    assert mentors[0] != mentors[1]
    assert all(is_deleted_account(m) for m in mentors)
    assert Conversation.objects.filter(mentorship__in=kept).count() == 2


def test_the_placeholder_cannot_be_deleted():
    from rabta.core.errors import DomainError

    placeholder = deleted_account()
    placeholder.set_password(PASSWORD)
    with pytest.raises(DomainError):
        user_delete(user=placeholder, password=PASSWORD)
    assert User.objects.filter(pk=placeholder.pk).exists()


def test_a_representative_who_leaves_hands_the_institutions_work_to_another():
    rep, institution = institution_rep()
    colleague = user_with_role(Role.INSTITUTION_REP)
    InstitutionMembership.objects.create(institution=institution, user=colleague)
    consultant = contributor(capacity=5)
    awarded = project(rep, institution)
    proposal = bg.proposal_submit(
        user=consultant,
        ask_id=awarded.pk,
        price_usd=Decimal("3000"),
        plan="x",
        milestones=MILESTONES,
    )
    engagement = bg.proposal_award(user=rep, proposal_id=proposal.pk)
    still_open = project(rep, institution, title="Grid study for a textile mill")

    user_delete(user=rep, password=PASSWORD)

    engagement.refresh_from_db()
    assert (engagement.client_id, engagement.status) == (colleague.pk, "contracting")
    assert set(Ask.objects.filter(owner=colleague).values_list("pk", flat=True)) == {
        awarded.pk,
        still_open.pk,
    }
    assert ConversationMember.objects.filter(
        conversation__engagement=engagement, user=colleague
    ).exists()
    assert AuditLog.objects.filter(action="braingain.ask_handed_over").count() == 2


def test_a_representative_with_no_colleague_leaves_as_anyone_does():
    rep, institution = institution_rep()
    asked = project(rep, institution)

    user_delete(user=rep, password=PASSWORD)

    assert not Ask.objects.filter(pk=asked.pk).exists()
    assert not AuditLog.objects.filter(action="braingain.ask_handed_over").exists()
