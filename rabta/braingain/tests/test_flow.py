"""The portal's flows through the services, with exact outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from rabta.accounts.models import ContributorProfile
from rabta.braingain import services
from rabta.braingain.models import (
    Ask,
    AskStatus,
    EngagementStatus,
    FitAnswer,
    MatchRequest,
    Mentorship,
    MentorshipStatus,
    MilestoneStatus,
    PaymentStatus,
    ProposalStatus,
    RequestSource,
    RequestStatus,
    SessionStatus,
)
from rabta.braingain.tests.conftest import (
    MILESTONES,
    contributor,
    engineer,
    institution_rep,
    post_ask,
    project,
)
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.models import AuditLog, Event, Notification

pytestmark = pytest.mark.django_db


def _active_count(user) -> int:
    return ContributorProfile.objects.get(user=user).active_count


def test_suggestions_rank_the_best_fit_first_with_reasons():
    seeker = engineer()
    good = contributor()
    far = contributor(time_zone="America/Vancouver", sectors=["water"], skills=[])
    contributor(contribution_types=["consultancy"])  # does not mentor
    contributor(availability="paused")
    ask = post_ask(seeker)
    found = services.suggestions(ask=ask, limit=5)
    assert [s.contributor_id for s in found] == [good.pk, far.pk]
    assert found[0].parts["skills"] == 1.0
    assert found[1].parts["sector"] == 0.0


def test_whole_mentorship_from_request_to_certificate(django_capture_on_commit_callbacks):
    seeker = engineer()
    mentor = contributor()
    ask = post_ask(seeker)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    assert Notification.objects.filter(user=mentor, kind="braingain.request").count() == 1
    assert request.respond_by > timezone.now() + dt.timedelta(days=services.RESPONSE_DAYS - 1)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_respond(user=mentor, request_id=request.pk, accept=True)
    assert _active_count(mentor) == 1
    ask.refresh_from_db()
    assert ask.status == AskStatus.MATCHED
    mentorship = Mentorship.objects.get(request=request)
    assert (mentorship.mentor, mentorship.mentee, mentorship.status) == (
        mentor,
        seeker,
        MentorshipStatus.AGREEING,
    )
    assert Notification.objects.filter(user=seeker, kind="braingain.accepted").count() == 1

    services.mentorship_agreement_update(
        user=seeker,
        mentorship_id=mentorship.pk,
        goals="Finish the design review",
        schedule="Every second Saturday, 18:00 PKT",
        expectations="I prepare questions; the mentor reviews drawings",
    )
    services.mentorship_sign(user=mentor, mentorship_id=mentorship.pk)
    # a change after one signature asks for both again
    services.mentorship_agreement_update(
        user=seeker,
        mentorship_id=mentorship.pk,
        goals="Finish the design review and one portfolio piece",
        schedule="Every second Saturday, 18:00 PKT",
        expectations="I prepare questions; the mentor reviews drawings",
    )
    mentorship.refresh_from_db()
    assert mentorship.mentor_signed_at is None
    services.mentorship_sign(user=mentor, mentorship_id=mentorship.pk)
    services.mentorship_sign(user=mentor, mentorship_id=mentorship.pk)  # a double click
    # asked to sign once per signature of the other side: after the edit, once more
    assert Notification.objects.filter(user=seeker, kind="braingain.sign").count() == 2
    services.mentorship_sign(user=seeker, mentorship_id=mentorship.pk)
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE
    assert mentorship.fit_check_due == timezone.localdate() + dt.timedelta(days=21)

    starts = timezone.now() - dt.timedelta(hours=1)
    session = services.session_schedule(
        user=mentor, mentorship_id=mentorship.pk, starts_at=starts, duration_minutes=60
    )
    with pytest.raises(DomainError) as refused:
        services.mentorship_complete(user=seeker, mentorship_id=mentorship.pk)
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    services.session_hold(user=mentor, session_id=session.pk, notes="Reviewed load flow")
    services.feedback_leave(user=seeker, session_id=session.pk, rating=5, comment="Useful")
    services.fit_check_answer(user=seeker, mentorship_id=mentorship.pk, answer=FitAnswer.GOOD)
    services.time_log(
        user=mentor,
        mentorship_id=mentorship.pk,
        worked_on=timezone.localdate(),
        minutes=30,
        note="Read the report",
    )
    services.mentorship_complete(user=mentor, mentorship_id=mentorship.pk)
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.COMPLETED
    assert len(mentorship.certificate_code) == 10
    assert _active_count(mentor) == 0
    from rabta.braingain.selectors import mentorship_minutes

    assert mentorship_minutes(mentorship) == 90
    assert Event.objects.filter(kind="braingain.mentorship_completed", country="GB").count() == 1
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"request.accept", "mentorship.agree", "session.hold", "mentorship.complete"} <= actions


def test_seeker_pending_limit_and_one_request_per_ask():
    seeker = engineer()
    people = [contributor() for _ in range(5)]
    asks = [post_ask(seeker, title=f"Ask {n}") for n in range(4)]
    for ask, person in zip(asks[:3], people, strict=False):
        services.request_send(user=seeker, ask_id=ask.pk, contributor_id=person.pk)
    with pytest.raises(DomainError) as limit:
        services.request_send(user=seeker, ask_id=asks[3].pk, contributor_id=people[3].pk)
    assert limit.value.code == ErrorCode.CONFLICT
    assert not MatchRequest.objects.filter(ask=asks[3]).exists()
    services.request_withdraw(user=seeker, request_id=asks[2].requests.get().pk)
    with pytest.raises(DomainError):
        # the same ask cannot ask the same person twice
        services.request_send(user=seeker, ask_id=asks[2].pk, contributor_id=people[2].pk)
    services.request_send(user=seeker, ask_id=asks[3].pk, contributor_id=people[3].pk)
    with pytest.raises(DomainError):
        services.request_send(user=seeker, ask_id=asks[3].pk, contributor_id=people[4].pk)
    assert MatchRequest.objects.filter(ask=asks[3]).count() == 1


def test_paused_or_full_contributors_cannot_be_asked():
    seeker = engineer()
    paused = contributor(availability="paused")
    full = contributor(capacity=1)
    ContributorProfile.objects.filter(user=full).update(active_count=1)
    ask = post_ask(seeker)
    for person in (paused, full):
        with pytest.raises(DomainError) as refused:
            services.request_send(user=seeker, ask_id=ask.pk, contributor_id=person.pk)
        assert refused.value.code == ErrorCode.NOT_ELIGIBLE
    assert not MatchRequest.objects.exists()


def test_deadline_expiry_moves_the_request_to_the_next_suggestion(
    django_capture_on_commit_callbacks,
):
    seeker = engineer()
    first = contributor()
    second = contributor(time_zone="Asia/Dubai")
    ask = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=first.pk)
    now = timezone.now()
    # a day before the deadline: one reminder, sent once
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requests_expire(now=request.respond_by - dt.timedelta(hours=2)) == (0, 1)
        assert services.requests_expire(now=request.respond_by - dt.timedelta(hours=1)) == (0, 0)
    assert Notification.objects.filter(user=first, kind="braingain.reminder").count() == 1
    # nothing expires early
    assert services.requests_expire(now=now) == (0, 0)
    assert services.requests_expire(now=request.respond_by + dt.timedelta(minutes=1)) == (1, 0)
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    moved = MatchRequest.objects.get(ask=ask, status=RequestStatus.PENDING)
    assert (moved.contributor, moved.source) == (second, RequestSource.NEXT)
    # an expired request can no longer be accepted
    with pytest.raises(DomainError):
        services.request_respond(user=first, request_id=request.pk, accept=True)
    assert _active_count(first) == 0


def test_declining_moves_on_and_nobody_left_tells_the_seeker(django_capture_on_commit_callbacks):
    seeker = engineer()
    only = contributor()
    ask = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=only.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_respond(user=only, request_id=request.pk, accept=False, reason="Busy")
    assert not MatchRequest.objects.filter(status=RequestStatus.PENDING).exists()
    assert Notification.objects.filter(user=seeker, kind="braingain.no_one_left").count() == 1
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN


def test_capacity_is_never_exceeded_by_acceptances():
    mentor = contributor(capacity=2)
    requests = []
    for n in range(2):
        seeker = engineer()
        ask = post_ask(seeker, title=f"Ask {n}")
        requests.append(services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk))
    ContributorProfile.objects.filter(user=mentor).update(capacity=1)
    services.request_respond(user=mentor, request_id=requests[0].pk, accept=True)
    with pytest.raises(DomainError) as full:
        services.request_respond(user=mentor, request_id=requests[1].pk, accept=True)
    assert full.value.code == ErrorCode.CAPACITY_EXHAUSTED
    requests[1].refresh_from_db()
    assert requests[1].status == RequestStatus.PENDING
    assert _active_count(mentor) == 1
    assert Mentorship.objects.count() == 1


def test_poor_fit_ends_the_mentorship_and_rematches():
    seeker = engineer()
    first = contributor()
    second = contributor(time_zone="Asia/Dubai")
    ask = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=first.pk)
    services.request_respond(user=first, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get()
    mentorship.status = MentorshipStatus.ACTIVE
    mentorship.save()
    services.fit_check_answer(
        user=seeker, mentorship_id=mentorship.pk, answer=FitAnswer.POOR, comment="Different field"
    )
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED
    assert _active_count(first) == 0
    moved = MatchRequest.objects.get(status=RequestStatus.PENDING)
    assert moved.contributor == second
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN


def test_consultancy_from_project_to_ratings():
    rep, institution = institution_rep()
    consultant = contributor()
    other = contributor(time_zone="Asia/Dubai")
    ask = project(rep, institution)
    proposal = services.proposal_submit(
        user=consultant,
        ask_id=ask.pk,
        price_usd=Decimal("3000"),
        plan="Survey, yield model, report",
        milestones=MILESTONES,
    )
    losing = services.proposal_submit(
        user=other,
        ask_id=ask.pk,
        price_usd=Decimal("3000"),
        plan="Desk study",
        milestones=MILESTONES,
    )
    engagement = services.proposal_award(user=rep, proposal_id=proposal.pk)
    losing.refresh_from_db()
    assert losing.status == ProposalStatus.NOT_SELECTED
    assert _active_count(consultant) == 1
    assert "USD 3,000.00" in engagement.contract_text
    assert engagement.milestones.count() == 2
    services.engagement_sign(user=consultant, engagement_id=engagement.pk)
    services.engagement_sign(user=rep, engagement_id=engagement.pk)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
    first, second = engagement.milestones.all()
    services.milestone_submit(
        user=consultant,
        milestone_id=first.pk,
        note="Report attached",
        link="https://files.example/a",
    )
    services.milestone_review(user=rep, milestone_id=first.pk, accept=False, note="Add shading")
    services.milestone_submit(user=consultant, milestone_id=first.pk, note="With shading")
    services.milestone_review(user=rep, milestone_id=first.pk, accept=True)
    services.payment_record(
        user=consultant, milestone_id=first.pk, action="invoice", reference="INV-1"
    )
    services.payment_record(user=rep, milestone_id=first.pk, action="mark_paid", reference="TT-9")
    # each party hears of the other's payment step
    told = Notification.objects.filter(kind__in=["braingain.invoiced", "braingain.paid"])
    assert sorted(told.values_list("user_id", "kind")) == sorted(
        [(rep.pk, "braingain.invoiced"), (consultant.pk, "braingain.paid")]
    )
    with pytest.raises(DomainError):
        services.engagement_complete(user=rep, engagement_id=engagement.pk)
    services.milestone_cancel(user=rep, milestone_id=second.pk)
    services.engagement_complete(user=rep, engagement_id=engagement.pk)
    first.refresh_from_db()
    assert (first.status, first.payment_status, first.payment_reference) == (
        MilestoneStatus.ACCEPTED,
        PaymentStatus.PAID,
        "TT-9",
    )
    assert _active_count(consultant) == 0
    services.rating_leave(user=rep, engagement_id=engagement.pk, stars=5, comment="Thorough")
    services.rating_leave(user=consultant, engagement_id=engagement.pk, stars=4, comment="Clear")
    with pytest.raises(DomainError):
        services.rating_leave(user=rep, engagement_id=engagement.pk, stars=1, comment="again")
    assert engagement.ratings.count() == 2
    assert Ask.objects.get(pk=ask.pk).status == AskStatus.CLOSED


def test_proposal_milestones_must_add_up_and_once_per_person():
    rep, institution = institution_rep()
    consultant = contributor()
    ask = project(rep, institution)
    with pytest.raises(DomainError) as wrong:
        services.proposal_submit(
            user=consultant,
            ask_id=ask.pk,
            price_usd=Decimal("2500"),
            plan="x",
            milestones=MILESTONES,
        )
    assert "milestones" in wrong.value.fields
    services.proposal_submit(
        user=consultant, ask_id=ask.pk, price_usd=Decimal("3000"), plan="x", milestones=MILESTONES
    )
    with pytest.raises(DomainError) as twice:
        services.proposal_submit(
            user=consultant,
            ask_id=ask.pk,
            price_usd=Decimal("3000"),
            plan="y",
            milestones=MILESTONES,
        )
    assert twice.value.code == ErrorCode.CONFLICT
    assert ask.proposals.count() == 1


def test_award_needs_a_free_place():
    rep, institution = institution_rep()
    consultant = contributor(capacity=1)
    ask = project(rep, institution)
    proposal = services.proposal_submit(
        user=consultant, ask_id=ask.pk, price_usd=Decimal("3000"), plan="x", milestones=MILESTONES
    )
    ContributorProfile.objects.filter(user=consultant).update(active_count=1)
    with pytest.raises(DomainError) as full:
        services.proposal_award(user=rep, proposal_id=proposal.pk)
    assert full.value.code == ErrorCode.CAPACITY_EXHAUSTED
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert not hasattr(Ask.objects.get(pk=ask.pk), "engagement")


def test_session_times_need_a_zone_and_land_in_utc():
    seeker = engineer()
    mentor = contributor(time_zone="America/Toronto")
    ask = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    services.request_respond(user=mentor, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get()
    Mentorship.objects.filter(pk=mentorship.pk).update(status=MentorshipStatus.ACTIVE)
    from zoneinfo import ZoneInfo

    local = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=3),
        dt.time(9, 0),
        tzinfo=ZoneInfo("America/Toronto"),
    )
    session = services.session_schedule(
        user=mentor, mentorship_id=mentorship.pk, starts_at=local, duration_minutes=45
    )
    assert session.starts_at.astimezone(ZoneInfo("Asia/Karachi")).hour in (18, 19)
    assert session.status == SessionStatus.PLANNED
    with pytest.raises(DomainError):
        services.session_schedule(
            user=mentor,
            mentorship_id=mentorship.pk,
            starts_at=local.replace(tzinfo=None),
            duration_minutes=45,
        )
    with pytest.raises(DomainError):
        services.session_hold(user=mentor, session_id=session.pk, notes="too early")


def test_a_stale_pool_never_shows_someone_who_filled_up_or_paused():
    seeker = engineer()
    busy = contributor(capacity=1)
    resting = contributor(time_zone="Asia/Dubai")
    ask = post_ask(seeker)
    assert {s.contributor_id for s in services.suggestions(ask=ask)} == {busy.pk, resting.pk}
    # changes that bypass the profile signal, as the locking helper's UPDATE does
    ContributorProfile.objects.filter(user=busy).update(active_count=1)
    ContributorProfile.objects.filter(user=resting).update(availability="paused")
    assert services.suggestions(ask=ask) == []
