"""Reads for the Hall of Fame: published honours are public; nominations are the council's;
an honour waiting for consent is its nominee's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rabta.accounts.models import User
from rabta.braingain import selectors as braingain
from rabta.community.models import (
    Honour,
    HonourStatus,
    Nomination,
    NominationStatus,
    PanelApplication,
    PanelApplicationStatus,
    Thread,
)
from rabta.community.selectors.access import reviews_nominations
from rabta.core.errors import NotFound


def honours_published() -> QuerySet[Honour]:
    return Honour.objects.filter(status=HonourStatus.PUBLISHED).select_related(
        "user", "user__contributor_profile"
    )


def honours_of(*, user: User) -> QuerySet[Honour]:
    """A person's published honours (their member page)."""
    return honours_published().filter(user=user)


def honour_public(*, slug: str) -> Honour:
    honour = honours_published().filter(slug=slug[:40]).first()
    if honour is None:
        raise NotFound()
    return honour


def honour_get_for_nominee(*, user: User, honour_id: int) -> Honour:
    """An honour as its nominee answers it: nobody else finds it."""
    honour = Honour.objects.filter(pk=honour_id, user=user).first()
    if honour is None:
        raise NotFound()
    return honour


def honours_awaiting_consent(*, user: User) -> QuerySet[Honour]:
    """The honours the person has not answered yet."""
    return Honour.objects.filter(user=user, status=HonourStatus.AWAITING_CONSENT)


def honours_awaiting() -> QuerySet[Honour]:
    """Every honour waiting for its nominee's answer (for the council)."""
    return Honour.objects.filter(status=HonourStatus.AWAITING_CONSENT).select_related("user")


def nominations_by(*, user: User, limit: int = 20) -> QuerySet[Nomination]:
    return Nomination.objects.filter(nominator=user).select_related("nominee")[:limit]


def nominations_waiting(*, limit: int = 100) -> list[Nomination]:
    return list(
        Nomination.objects.filter(status=NominationStatus.SUBMITTED).select_related(
            "nominee", "nominator"
        )[:limit]
    )


def nomination_get_for_reviewer(*, user: User, nomination_id: int) -> Nomination:
    """A nomination as the council reviews it: nobody else finds it."""
    nomination = (
        Nomination.objects.filter(pk=nomination_id).first() if reviews_nominations(user) else None
    )
    if nomination is None:
        raise NotFound()
    return nomination


def contribution_record(*, user_id: int) -> dict[str, Any]:
    """What a person has given through the platform, from its own records."""
    return {
        **braingain.contributor_given(user_id=user_id),
        "solutions": Thread.objects.filter(
            solution__author_id=user_id, hidden_at__isnull=True
        ).count(),
        "panels": PanelApplication.objects.filter(
            applicant_id=user_id, status=PanelApplicationStatus.SELECTED
        ).count(),
    }
