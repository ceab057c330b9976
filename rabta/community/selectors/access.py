"""Who may do what in the community: the council's permissions, bans and a person's
community identity."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from rabta.accounts.models import User
from rabta.community.models import Ban, Member
from rabta.core.errors import NotFound


def is_moderator(user: User) -> bool:
    return user.is_authenticated and user.has_perm("community.moderate_forum")


def manages_chapters(user: User) -> bool:
    return user.is_authenticated and user.has_perm("community.manage_chapters")


def reviews_nominations(user: User) -> bool:
    return user.is_authenticated and user.has_perm("community.review_nominations")


def runs_calls(user: User) -> bool:
    return user.is_authenticated and user.has_perm("community.run_calls")


def active_ban(user: User) -> Ban | None:
    now = timezone.now()
    return (
        Ban.objects.filter(user=user, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .first()
    )


def member_of(user: User) -> Member | None:
    return Member.objects.filter(user=user).first()


def member_get(*, handle: str) -> Member:
    """A member by handle, as anyone signed in may look them up."""
    found = Member.objects.select_related("user").filter(handle__iexact=handle[:30]).first()
    if found is None:
        raise NotFound()
    return found
