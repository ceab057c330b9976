"""Overseas contributors' profiles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from rabta.accounts.models import ContributorProfile, User
from rabta.accounts.roles import Role
from rabta.accounts.services.fields import fields_assign
from rabta.accounts.services.users import role_grant
from rabta.core.services import event_record, save_validated

# Fields a person may set on their own profile (capacity in use and skills are not among them).
CONTRIBUTOR_EDITABLE = (
    "country",
    "city",
    "time_zone",
    "employer",
    "sectors",
    "contribution_types",
    "capacity",
    "hours_per_month",
    "availability",
    "paused_until",
    "languages",
)


def contributor_profile_save(*, user: User, data: Mapping[str, Any]) -> ContributorProfile:
    with transaction.atomic():
        profile = ContributorProfile.objects.select_for_update().filter(user=user).first()
        created = profile is None
        if profile is None:
            profile = ContributorProfile(user=user)
        followed = profile.time_zone  # the zone the person's own may have been copied from
        fields_assign(profile, data, CONTRIBUTOR_EDITABLE)
        save_validated(profile, exclude=["user"])
        if profile.time_zone and user.time_zone in ("", followed):
            # The person's zone for everything (pages, emails) is ``User.time_zone``; the
            # profile's stays the contributor's availability zone for matching.  A person who
            # never chose another follows the profile when they move.
            user.time_zone = profile.time_zone
            user.save(update_fields=["time_zone"])
        if not user.has_role(Role.CONTRIBUTOR):
            role_grant(user=user, role=Role.CONTRIBUTOR, actor=user)
        if created:
            event_record(
                kind="contributor.profile_completed",
                actor_id=user.pk,
                subject=profile,
                country=str(profile.country),
            )
    return profile
