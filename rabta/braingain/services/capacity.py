"""Contributors' places.  A place is taken with ``rabta.core.locking`` when a contributor
accepts a request (or is awarded a project) and given back when the work ends, so nobody
exceeds their capacity even when two acceptances race."""

from __future__ import annotations

from django.utils.translation import gettext as _

from rabta.accounts.models import ContributorProfile
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.locking import capacity_claim, capacity_release


def _profile_id(user_id: int) -> int:
    profile_id = (
        ContributorProfile.objects.filter(user_id=user_id).values_list("pk", flat=True).first()
    )
    if profile_id is None:
        raise DomainError(ErrorCode.PROFILE_MISSING, _("Complete your contributor profile first."))
    return profile_id


def place_claim(user_id: int) -> None:
    """Take one of the contributor's places, or refuse when none is left."""
    capacity_claim(ContributorProfile, _profile_id(user_id), used="active_count", cap="capacity")


def place_release(user_id: int) -> None:
    """Give the contributor's place back (the work ended)."""
    capacity_release(ContributorProfile, _profile_id(user_id), used="active_count")
