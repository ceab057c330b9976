"""The demo, seeded app by app: each app owns its demo seeder (``<app>/demo.py``) and this is
the only place that knows the order they run in.  One random generator is handed from one to
the next, so the same seed gives the same data.  The dashboards' rollups come last, through
their app's own command: nothing imports that app."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from django.core.management import call_command
from django.db import transaction

from rabta.accounts.demo import seed_accounts
from rabta.braingain.demo import seed_braingain, seed_due_soon
from rabta.community.demo import seed_community
from rabta.portfolio.demo import seed_portfolios
from rabta.profiling.demo import seed_profiling
from rabta.programme.demo import seed_programme


@dataclass(frozen=True)
class DemoSeeded:
    engineers: int
    contributors: int
    institutions: int
    applications: int
    assessments: int
    postings: int
    portfolios: int
    asks: int
    chapters: int
    honours: int


def demo_seed(*, engineers: int, contributors: int, seed: int) -> DemoSeeded:
    """Every app's demo data, in one transaction."""
    rng = random.Random(seed)
    with transaction.atomic():
        accounts = seed_accounts(rng, engineers=engineers, contributors=contributors)
        applications = seed_programme(rng)
        assessments, postings = seed_profiling(rng)
        portfolios = seed_portfolios(rng)
        brain_gain = seed_braingain(rng)
        community = seed_community(rng)
        seed_due_soon()
        call_command("seed_insights", stdout=io.StringIO())
    return DemoSeeded(
        engineers=accounts.engineers,
        contributors=accounts.contributors,
        institutions=accounts.institutions,
        applications=applications,
        assessments=assessments,
        postings=postings,
        portfolios=portfolios,
        asks=brain_gain["asks"],
        chapters=community["chapters"],
        honours=community["honours"],
    )
