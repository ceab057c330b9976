"""People and places for the community tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from rabta.accounts.models import User
from rabta.accounts.roles import Role
from rabta.accounts.tests.factories import (
    ContributorProfileFactory,
    EngineerProfileFactory,
    user_with_role,
)
from rabta.community import services
from rabta.community.models import Call, Category, Chapter, ChapterEvent, Member, Thread, TrustLevel


def contributor(country: str = "GB", city: str = "London", **kwargs: Any) -> User:
    return ContributorProfileFactory(
        country=country, city=city, time_zone="Europe/London", **kwargs
    ).user


def engineer() -> User:
    return EngineerProfileFactory().user


def staff() -> User:
    return user_with_role(Role.PROGRAMME_STAFF)


def moderator() -> User:
    return user_with_role(Role.MODERATOR)


def trusted(user: User) -> User:
    """Past the new-member limits, so a test can post freely."""
    member = services.member_ensure(user=user)
    Member.objects.filter(pk=member.pk).update(trust_level=TrustLevel.TRUSTED, trust_locked=True)
    return user


def chapter(country: str = "GB", city: str = "London") -> Chapter:
    return services.chapter_open(actor=staff(), country=country, city=city, description="")


def sector_forum(slug: str = "renewable-energy") -> Category:
    return Category.objects.get(slug=slug)


def thread(author: User, category: Category | None = None, **kwargs: Any) -> Thread:
    trusted(author)
    return services.thread_create(
        user=author,
        category=category or sector_forum(),
        title=kwargs.pop("title", "Sizing a 5 kW rooftop inverter"),
        body=kwargs.pop("body", "What margin do you leave on the DC/AC ratio in Lahore?"),
        **kwargs,
    )


def event_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "London meet-up",
        "description": "Tea and talks.",
        "mode": "online",
        "location": "https://meet.example.org/abc",
        "starts_local": (timezone.now() + dt.timedelta(days=10)).replace(
            tzinfo=None, microsecond=0
        ),
        "time_zone": "Europe/London",
        "duration_minutes": 60,
        "capacity": 2,
        "visibility": "members",
    }
    data.update(overrides)
    return data


def event(lead: User, place: Chapter, **overrides: Any) -> ChapterEvent:
    return services.event_create(user=lead, chapter=place, data=event_data(**overrides))


def panel_call(staff: User, **overrides: Any) -> Call:
    """An open advisory-panel call (override ``kind``, ``discipline`` ... for a review)."""
    data: dict[str, Any] = {
        "kind": "advisory_panel",
        "title": "Panel",
        "body": "Advise.",
        "discipline": "",
        "sector": "",
        "seats": 2,
        "closes_on": timezone.localdate() + dt.timedelta(days=5),
    }
    data.update(overrides)
    return services.call_open(actor=staff, data=data)
