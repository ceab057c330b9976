"""Every engagement, milestone and payment transition, from every state, by every part.
Allowed ones move exactly as the table says; forbidden ones raise and change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rabta.accounts.models import ContributorProfile
from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import user_with_role
from rabta.braingain import services, states
from rabta.braingain.models import (
    Engagement,
    EngagementStatus,
    Milestone,
    MilestoneStatus,
    PaymentStatus,
)
from rabta.braingain.tests.conftest import MILESTONES, contributor, institution_rep, project
from rabta.core.errors import DomainError, NotFound
from rabta.core.models import AuditLog

pytestmark = pytest.mark.django_db

PARTS = ("client", "consultant", "staff", "outsider", "analyst")


def _engagement():
    rep, institution = institution_rep()
    consultant = contributor(capacity=5)
    ask = project(rep, institution)
    proposal = services.proposal_submit(
        user=consultant, ask_id=ask.pk, price_usd=Decimal("3000"), plan="x", milestones=MILESTONES
    )
    engagement = services.proposal_award(user=rep, proposal_id=proposal.pk)
    people = {
        "client": rep,
        "consultant": consultant,
        "staff": user_with_role(Role.PROGRAMME_STAFF),
        "outsider": contributor(),
        "analyst": user_with_role(Role.COUNCIL_ANALYST),
    }
    return engagement, people


def _expect(machine: states.Machine, state: str, action: str, part: str) -> bool:
    step = machine.transitions[action]
    return part in step.parts and state in step.sources


MILESTONE_CALLS = {
    "submit": lambda u, m: services.milestone_submit(user=u, milestone_id=m, note="done"),
    "accept": lambda u, m: services.milestone_review(user=u, milestone_id=m, accept=True),
    "request_changes": lambda u, m: services.milestone_review(
        user=u, milestone_id=m, accept=False, note="more"
    ),
    "cancel": lambda u, m: services.milestone_cancel(user=u, milestone_id=m),
}


@pytest.mark.parametrize("state", MilestoneStatus.values)
@pytest.mark.parametrize("action", sorted(states.MILESTONE.transitions))
@pytest.mark.parametrize("part", PARTS)
def test_milestone_transitions(state, action, part):
    engagement, people = _engagement()
    Engagement.objects.filter(pk=engagement.pk).update(status=EngagementStatus.ACTIVE)
    milestone = engagement.milestones.first()
    Milestone.objects.filter(pk=milestone.pk).update(status=state)
    audits = AuditLog.objects.count()
    allowed = _expect(states.MILESTONE, state, action, part)
    if allowed:
        MILESTONE_CALLS[action](people[part], milestone.pk)
        milestone.refresh_from_db()
        assert milestone.status == states.MILESTONE.transitions[action].target
        assert AuditLog.objects.filter(action=f"milestone.{action}").count() == 1
    else:
        with pytest.raises((DomainError, NotFound)):
            MILESTONE_CALLS[action](people[part], milestone.pk)
        milestone.refresh_from_db()
        assert milestone.status == state
        assert milestone.deliverables.count() == 0
        assert AuditLog.objects.count() == audits


@pytest.mark.parametrize("state", PaymentStatus.values)
@pytest.mark.parametrize("action", sorted(states.PAYMENT.transitions))
@pytest.mark.parametrize("part", PARTS)
def test_payment_transitions(state, action, part):
    engagement, people = _engagement()
    Engagement.objects.filter(pk=engagement.pk).update(status=EngagementStatus.ACTIVE)
    milestone = engagement.milestones.first()
    Milestone.objects.filter(pk=milestone.pk).update(
        status=MilestoneStatus.ACCEPTED, payment_status=state
    )
    audits = AuditLog.objects.count()
    call = lambda: services.payment_record(  # noqa: E731
        user=people[part], milestone_id=milestone.pk, action=action, reference="R-1"
    )
    if _expect(states.PAYMENT, state, action, part):
        call()
        milestone.refresh_from_db()
        assert milestone.payment_status == states.PAYMENT.transitions[action].target
        assert milestone.payment_reference == "R-1"
    else:
        with pytest.raises((DomainError, NotFound)):
            call()
        milestone.refresh_from_db()
        assert (milestone.payment_status, milestone.payment_reference) == (state, "")
        assert AuditLog.objects.count() == audits


def test_unaccepted_milestone_cannot_be_marked_paid():
    engagement, people = _engagement()
    Engagement.objects.filter(pk=engagement.pk).update(status=EngagementStatus.ACTIVE)
    milestone = engagement.milestones.first()
    with pytest.raises(DomainError):
        services.payment_record(
            user=people["client"], milestone_id=milestone.pk, action="mark_paid"
        )
    milestone.refresh_from_db()
    assert milestone.payment_status == PaymentStatus.UNPAID


ENGAGEMENT_CALLS = {
    "complete": lambda u, e: services.engagement_complete(user=u, engagement_id=e),
    "cancel": lambda u, e: services.engagement_cancel(user=u, engagement_id=e, reason="changed"),
}


@pytest.mark.parametrize("state", EngagementStatus.values)
@pytest.mark.parametrize("action", sorted(ENGAGEMENT_CALLS))
@pytest.mark.parametrize("part", PARTS)
def test_engagement_transitions(state, action, part):
    engagement, people = _engagement()
    Engagement.objects.filter(pk=engagement.pk).update(status=state)
    # every milestone settled, so completing is only about the state and the part
    Milestone.objects.filter(engagement=engagement).update(status=MilestoneStatus.ACCEPTED)
    places = ContributorProfile.objects.get(user=people["consultant"]).active_count
    audits = AuditLog.objects.count()
    if _expect(states.ENGAGEMENT, state, action, part):
        ENGAGEMENT_CALLS[action](people[part], engagement.pk)
        engagement.refresh_from_db()
        assert engagement.status == states.ENGAGEMENT.transitions[action].target
        assert ContributorProfile.objects.get(user=people["consultant"]).active_count == places - 1
    else:
        with pytest.raises((DomainError, NotFound)):
            ENGAGEMENT_CALLS[action](people[part], engagement.pk)
        engagement.refresh_from_db()
        assert engagement.status == state
        assert ContributorProfile.objects.get(user=people["consultant"]).active_count == places
        assert AuditLog.objects.count() == audits


@pytest.mark.parametrize("part", PARTS)
def test_only_the_two_parties_sign_and_the_second_signature_starts_work(part):
    engagement, people = _engagement()
    if part in ("client", "consultant"):
        services.engagement_sign(user=people[part], engagement_id=engagement.pk)
        engagement.refresh_from_db()
        assert getattr(engagement, f"{part}_signed_at") is not None
        assert engagement.status == EngagementStatus.CONTRACTING
        other = "consultant" if part == "client" else "client"
        services.engagement_sign(user=people[other], engagement_id=engagement.pk)
        engagement.refresh_from_db()
        assert engagement.status == EngagementStatus.ACTIVE
    else:
        with pytest.raises((DomainError, NotFound)):
            services.engagement_sign(user=people[part], engagement_id=engagement.pk)
        engagement.refresh_from_db()
        assert (engagement.client_signed_at, engagement.consultant_signed_at) == (None, None)


def test_every_machine_targets_a_real_state():
    from rabta.braingain import models

    choices = {
        "request": models.RequestStatus.values,
        "ask": models.AskStatus.values,
        "mentorship": models.MentorshipStatus.values,
        "session": models.SessionStatus.values,
        "meeting": models.SessionStatus.values,
        "proposal": models.ProposalStatus.values,
        "engagement": EngagementStatus.values,
        "milestone": MilestoneStatus.values,
        "payment": PaymentStatus.values,
        "round": models.MatchingRound.Status.values,
    }
    for machine in states.MACHINES:
        for step in machine.transitions.values():
            assert step.target in choices[machine.name]
            assert step.sources <= set(choices[machine.name])
