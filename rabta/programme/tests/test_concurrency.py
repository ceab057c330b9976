"""Seats under concurrent claims, on PostgreSQL where row locks exist.

The negative control proves the harness can see a race: a naive read-then-write claim, run the
same way, oversells.  The real helper then gives exactly the capacity."""

import time

import pytest
from django.db import connection, transaction  # noqa: F401  (connection: skipif)

from rabta.core.locking import capacity_try_claim
from rabta.core.testing import race
from rabta.programme import services
from rabta.programme.models import Application, Cohort
from rabta.programme.tests.factories import ANSWERS, CohortFactory, verified_engineer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="row locks and concurrent writers are tested on PostgreSQL",
    ),
]


_race = race


def _naive_claim(cohort_id):
    with transaction.atomic():
        cohort = Cohort.objects.get(pk=cohort_id)  # no lock: read
        if cohort.seats_taken >= cohort.seats:
            return False
        time.sleep(0.01)  # the window in which another request reads the same count
        Cohort.objects.filter(pk=cohort_id).update(seats_taken=cohort.seats_taken + 1)
        return True


def test_negative_control_a_naive_claim_oversells():
    cohort = CohortFactory(seats=50)
    results = _race(range(200), lambda _w: _naive_claim(cohort.pk))
    granted = sum(results)
    assert granted > 50  # the harness sees the race


@pytest.mark.parametrize(("claims", "seats"), [(2, 1), (200, 50)])
def test_the_locking_helper_grants_exactly_the_capacity(claims, seats):
    cohort = CohortFactory(seats=seats)

    def claim(_w):
        with transaction.atomic():
            return capacity_try_claim(Cohort, cohort.pk, used="seats_taken", cap="seats")

    results = _race(range(claims), claim)
    assert sum(results) == seats
    assert Cohort.objects.get().seats_taken == seats


def test_concurrent_applications_fill_exactly_the_seats_and_waitlist_the_rest():
    cohort = CohortFactory(seats=20)
    users = [verified_engineer() for _ in range(60)]

    def apply(user):
        application, _created = services.application_submit(
            user=user, cohort_id=cohort.pk, data=ANSWERS
        )
        return application.state

    results = _race(users, apply)
    assert sorted(set(results)) == ["offered", "waitlisted"]
    assert results.count("offered") == 20
    assert Application.objects.filter(state="offered").count() == 20
    assert Application.objects.filter(state="waitlisted").count() == 40
    assert Cohort.objects.get().seats_taken == 20


def test_the_same_person_double_submitting_concurrently_gets_one_application():
    cohort = CohortFactory(seats=5)
    user = verified_engineer()

    def apply(_w):
        application, _created = services.application_submit(
            user=user, cohort_id=cohort.pk, data=ANSWERS, idempotency_key="same-key"
        )
        return application.pk

    results = _race(range(8), apply)
    assert len(set(results)) == 1
    assert Application.objects.count() == 1
    assert Cohort.objects.get().seats_taken == 1
