from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from rabta.accounts.models import User
from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import (
    ContributorProfileFactory,
    EngineerProfileFactory,
    institution_with_admin,
    user_with_role,
)
from rabta.braingain import services
from rabta.braingain.models import Ask


def skill_ids() -> list[str]:
    from rabta.engine.taxonomy import taxonomy

    return [
        taxonomy().search("solar energy", 1)[0].id,
        taxonomy().search("project management", 1)[0].id,
    ]


def contributor(**overrides: Any) -> User:
    defaults: dict[str, Any] = {
        "country": "GB",
        "city": "London",
        "time_zone": "Europe/London",
        "sectors": ["renewable_energy"],
        "contribution_types": ["mentoring", "fyp_supervision", "consultancy"],
        "capacity": 2,
        "hours_per_month": 6,
        "languages": ["en", "ur"],
        "skills": skill_ids(),
    }
    defaults.update(overrides)
    return ContributorProfileFactory(**defaults).user


def engineer() -> User:
    return EngineerProfileFactory().user


def institution_rep() -> tuple[User, Any]:
    rep = user_with_role(Role.INSTITUTION_REP)
    return rep, institution_with_admin(rep)


def staff() -> User:
    return user_with_role(Role.PROGRAMME_STAFF)


def ask_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "mentoring",
        "title": "Mentor for a solar mini-grid design",
        "goal": "Review my design approach and help me plan a portfolio piece.",
        "sector": "renewable_energy",
        "skills": skill_ids(),
        "duration_weeks": 12,
        "hours_per_month": 4,
        "language": "ur",
        "mode": "online",
        "city": "",
        "deadline": timezone.localdate() + dt.timedelta(days=30),
        "budget_usd": None,
    }
    data.update(overrides)
    return data


def post_ask(user: User, **overrides: Any) -> Ask:
    return services.ask_post(user=user, data=ask_data(**overrides))


def project(rep: User, institution: Any, **overrides: Any) -> Ask:
    fields: dict[str, Any] = {
        "kind": "consultancy",
        "title": "Feasibility study for a 2 MW solar plant",
        "budget_usd": Decimal("3000"),
        "institution_id": institution.pk,
    }
    fields.update(overrides)
    return post_ask(rep, **fields)


MILESTONES = [
    {"title": "Site assessment", "amount": "1000.00", "days": "10"},
    {"title": "Feasibility report", "amount": "2000.00", "days": "20"},
]
