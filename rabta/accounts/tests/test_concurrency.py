"""Two engineers claim the same PEC number at the same instant: exactly one gets it."""

import pytest
from django.db import connection  # noqa: F401  (read by the skipif condition)

from rabta.accounts.models import EngineerProfile
from rabta.accounts.roles import Role
from rabta.accounts.services import engineer_profile_save
from rabta.accounts.tests.factories import UserFactory
from rabta.core.errors import DomainError
from rabta.core.testing import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="row locks and concurrent writers are tested on PostgreSQL",
    ),
]

DATA = {
    "pec_number": "CIVIL/424242",
    "discipline": "CIVIL",
    "degree": "BE",
    "university": "UET Lahore",
    "graduation_year": 2019,
    "province": "Punjab",
    "district": "pb-lahore",
    "employment_status": "seeking",
}


def test_concurrent_claims_of_one_number_leave_exactly_one_owner():
    users = [UserFactory(roles=[Role.ENGINEER]) for _ in range(8)]

    def claim(user):
        try:
            engineer_profile_save(user=user, data=DATA)
        except DomainError as error:
            return str(error.code)
        return "ok"

    outcomes = race(users, claim)
    assert sorted(outcomes) == ["ok"] + ["pec_number_taken"] * 7
    assert EngineerProfile.objects.filter(pec_number="CIVIL/424242").count() == 1
