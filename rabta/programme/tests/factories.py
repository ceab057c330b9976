from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from rabta.accounts.models import VerificationState
from rabta.accounts.tests.factories import EngineerProfileFactory
from rabta.programme.models import AllocationPolicy, Cohort

ANSWERS = {
    "motivation": "Win my first international structural design client.",
    "hours_per_week": 10,
    "employment": "employed",
    "consent": True,
}


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    starts_on = date(2026, 4, 13)
    ends_on = date(2026, 4, 17)
    seats = 5
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    applications_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    policy = AllocationPolicy.FIRST_COME


def verified_engineer(**kwargs):  # type: ignore[no-untyped-def]
    return EngineerProfileFactory(verification_state=VerificationState.VERIFIED, **kwargs).user
