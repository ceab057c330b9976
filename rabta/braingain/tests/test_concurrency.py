"""Contributor capacity under concurrent acceptances and awards, on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection  # noqa: F401  (connection: skipif)

from rabta.accounts.models import ContributorProfile
from rabta.braingain import services
from rabta.braingain.models import Engagement, MatchRequest, Mentorship, RequestStatus
from rabta.braingain.tests.conftest import (
    MILESTONES,
    contributor,
    engineer,
    institution_rep,
    post_ask,
    project,
)
from rabta.core.errors import DomainError
from rabta.core.testing import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="row locks and concurrent writers are tested on PostgreSQL",
    ),
]


def _accept(request_id: int, user) -> str:
    try:
        services.request_respond(user=user, request_id=request_id, accept=True)
    except DomainError as error:
        return str(error.code)
    return "accepted"


def test_concurrent_acceptances_never_exceed_capacity():
    mentor = contributor(capacity=12)
    requests = []
    for n in range(12):
        seeker = engineer()
        ask = post_ask(seeker, title=f"Ask {n}")
        requests.append(services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk))
    # the contributor lowers their capacity to 3 while 12 requests wait
    ContributorProfile.objects.filter(user=mentor).update(capacity=3)
    results = race([r.pk for r in requests], lambda rid: _accept(rid, mentor))
    assert results.count("accepted") == 3
    assert results.count("capacity_exhausted") == 9
    assert ContributorProfile.objects.get(user=mentor).active_count == 3
    assert Mentorship.objects.count() == 3
    assert MatchRequest.objects.filter(status=RequestStatus.ACCEPTED).count() == 3
    assert MatchRequest.objects.filter(status=RequestStatus.PENDING).count() == 9


def test_the_same_request_accepted_twice_at_once_makes_one_mentorship():
    mentor = contributor(capacity=3)
    seeker = engineer()
    ask = post_ask(seeker)
    request = services.request_send(user=seeker, ask_id=ask.pk, contributor_id=mentor.pk)
    results = race([request.pk] * 6, lambda rid: _accept(rid, mentor))
    assert results.count("accepted") == 1
    assert Mentorship.objects.count() == 1
    assert ContributorProfile.objects.get(user=mentor).active_count == 1


def test_concurrent_awards_to_one_consultant_respect_capacity():
    consultant = contributor(capacity=2)
    proposals = []
    reps = []
    for n in range(6):
        rep, institution = institution_rep()
        job = project(rep, institution, title=f"Project {n}")
        proposals.append(
            services.proposal_submit(
                user=consultant,
                ask_id=job.pk,
                price_usd=Decimal("3000"),
                plan="x",
                milestones=MILESTONES,
            )
        )
        reps.append(rep)

    def award(index: int) -> str:
        try:
            services.proposal_award(user=reps[index], proposal_id=proposals[index].pk)
        except DomainError as error:
            return str(error.code)
        return "awarded"

    results = race(list(range(6)), award)
    assert results.count("awarded") == 2
    assert Engagement.objects.count() == 2
    assert ContributorProfile.objects.get(user=consultant).active_count == 2
