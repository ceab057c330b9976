"""Matching rounds through the service (pins, forbidden pairs, capacity) and the staff report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rabta.accounts.models import ContributorProfile
from rabta.braingain import reports, services
from rabta.braingain.models import (
    MatchingRound,
    MatchRequest,
    Mentorship,
    RequestStatus,
    RoundConstraint,
)
from rabta.braingain.tests.conftest import contributor, engineer, post_ask, staff
from rabta.core.errors import DomainError, ErrorCode

pytestmark = pytest.mark.django_db


def _round(fairness: int = 50) -> MatchingRound:
    return services.round_create(user=staff(), name="Autumn", kind="mentoring", fairness=fairness)


def test_round_respects_capacity_forbids_and_leaves_the_rest_unmatched():
    asks = [post_ask(engineer(), title=f"Mentee {n}") for n in range(5)]
    a = contributor(capacity=2)
    b = contributor(capacity=1, time_zone="Asia/Dubai")
    paused = contributor(availability="paused")
    matching_round = _round()
    actor = matching_round.created_by
    services.round_constraint_set(
        user=actor,
        round_id=matching_round.pk,
        ask_id=asks[0].pk,
        contributor_id=a.pk,
        kind="forbid",
    )
    services.round_solve(user=actor, round_id=matching_round.pk)
    matching_round.refresh_from_db()
    assignment = {x.ask_id: x.contributor_id for x in matching_round.assignments.all()}
    assert matching_round.summary["matched"] == 3
    assert matching_round.summary["unmatched"] == 2
    assert assignment.get(asks[0].pk) != a.pk
    assert list(assignment.values()).count(a.pk) <= 2
    assert list(assignment.values()).count(b.pk) <= 1
    assert paused.pk not in assignment.values()
    assert matching_round.summary["gap_percent"] >= 0


def test_pins_on_someone_who_cannot_take_the_ask_are_refused():
    ask = post_ask(engineer())
    paused = contributor(availability="paused")
    full = contributor(capacity=1)
    ContributorProfile.objects.filter(user=full).update(active_count=1)
    matching_round = _round()
    for person in (paused, full):
        with pytest.raises(DomainError) as refused:
            services.round_constraint_set(
                user=matching_round.created_by,
                round_id=matching_round.pk,
                ask_id=ask.pk,
                contributor_id=person.pk,
                kind="pin",
            )
        assert refused.value.code == ErrorCode.VALIDATION_ERROR
    assert not RoundConstraint.objects.exists()


def test_more_pins_than_places_are_refused():
    asks = [post_ask(engineer(), title=f"Mentee {n}") for n in range(2)]
    one_place = contributor(capacity=1)
    matching_round = _round()
    actor = matching_round.created_by
    services.round_constraint_set(
        user=actor,
        round_id=matching_round.pk,
        ask_id=asks[0].pk,
        contributor_id=one_place.pk,
        kind="pin",
    )
    with pytest.raises(DomainError):
        services.round_constraint_set(
            user=actor,
            round_id=matching_round.pk,
            ask_id=asks[1].pk,
            contributor_id=one_place.pk,
            kind="pin",
        )
    assert RoundConstraint.objects.count() == 1


def test_only_staff_run_rounds():
    with pytest.raises(DomainError):
        services.round_create(user=contributor(), name="x", kind="mentoring", fairness=50)
    matching_round = _round()
    from rabta.core.errors import NotFound

    with pytest.raises(NotFound):
        services.round_solve(user=engineer(), round_id=matching_round.pk)
    assert matching_round.assignments.count() == 0


def test_publishing_skips_asks_that_changed_since_the_solve():
    seekers = [engineer() for _ in range(2)]
    asks = [post_ask(s, title=f"Mentee {n}") for n, s in enumerate(seekers)]
    contributor(capacity=3)
    other = contributor(capacity=3, time_zone="Asia/Dubai")
    matching_round = _round()
    actor = matching_round.created_by
    services.round_solve(user=actor, round_id=matching_round.pk)
    # meanwhile the first seeker asks someone directly
    services.request_send(user=seekers[0], ask_id=asks[0].pk, contributor_id=other.pk)
    assert services.round_publish(user=actor, round_id=matching_round.pk) == 1
    assert MatchRequest.objects.filter(source="round").count() == 1
    with pytest.raises(DomainError):
        services.round_publish(user=actor, round_id=matching_round.pk)


def test_report_counts_ages_response_times_matches_and_hours():
    seeker = engineer()
    mentor = contributor(country="CA", time_zone="America/Toronto")
    ask = post_ask(seeker)
    old = post_ask(engineer(), title="Old ask", sector="water")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    MatchRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=10)
    )
    services.request_respond(user=mentor, request_id=request.pk, accept=True)
    mentorship = Mentorship.objects.get()
    Mentorship.objects.filter(pk=mentorship.pk).update(status="active")
    session = services.session_schedule(
        user=mentor,
        mentorship_id=mentorship.pk,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        duration_minutes=90,
    )
    services.session_hold(user=mentor, session_id=session.pk, notes="ok")
    services.mentorship_complete(user=seeker, mentorship_id=mentorship.pk)
    report = reports.programme_report()
    assert report["open_total"] == 1
    assert report["open_ages"] == {"under_7": 0, "7_to_30": 0, "over_30": 1}
    assert report["median_response_hours"] == pytest.approx(10, abs=0.1)
    assert (report["posted"], report["matched"], report["match_rate"]) == (2, 1, 50)
    assert report["completed_mentorships"] == 1
    assert report["hours"] == 1.5
    assert report["by_country"] == [
        {"country": "CA", "contributors": 1, "completed": 1, "hours": 1.5}
    ]
    sectors = {row["sector"]: row for row in report["by_sector"]}
    assert sectors["Renewable energy"]["matched"] == 1
    assert sectors["Water management"]["matched"] == 0
    assert MatchRequest.objects.filter(status=RequestStatus.ACCEPTED).count() == 1


def test_a_round_moves_draft_solved_published_and_is_audited_at_each_step():
    from rabta.core.models import AuditLog

    post_ask(engineer())
    contributor()
    matching_round = _round()
    actor = matching_round.created_by
    services.round_solve(user=actor, round_id=matching_round.pk)
    services.round_solve(user=actor, round_id=matching_round.pk)  # solving again is allowed
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.SOLVED
    services.round_publish(user=actor, round_id=matching_round.pk)
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.PUBLISHED
    assignments = list(matching_round.assignments.values_list("pk", flat=True))
    with pytest.raises(DomainError) as refused:
        services.round_solve(user=actor, round_id=matching_round.pk)
    assert refused.value.code == ErrorCode.INVALID_TRANSITION
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.PUBLISHED
    assert list(matching_round.assignments.values_list("pk", flat=True)) == assignments
    steps = [
        (a.action, a.details.get("before"), a.details.get("after"))
        for a in AuditLog.objects.filter(
            target_type="braingain.matchinground", target_id=str(matching_round.pk)
        ).order_by("pk")
    ]
    assert steps == [
        ("round.create", None, None),
        ("round.solve", "draft", "solved"),
        ("round.solve", "solved", "solved"),
        ("round.publish", "solved", "published"),
    ]
