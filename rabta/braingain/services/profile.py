"""A contributor's own expertise: the skills they can guide others in."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rabta.accounts.models import ContributorProfile, User
from rabta.core.errors import DomainError, ErrorCode, invalid
from rabta.engine.taxonomy import taxonomy

MAX_CONTRIBUTOR_SKILLS = 40


def contributor_skills_set(*, user: User, skills: list[str]) -> ContributorProfile:
    if len(skills) > MAX_CONTRIBUTOR_SKILLS:
        raise invalid("skills", _("List at most 40 skills."))
    known = taxonomy()
    for skill in skills:
        try:
            known.skill(skill)
        except KeyError:
            raise invalid("skills", _("Choose skills from the list.")) from None
    with transaction.atomic():
        profile = ContributorProfile.objects.select_for_update().filter(user=user).first()
        if profile is None:
            raise DomainError(
                ErrorCode.PROFILE_MISSING, _("Complete your contributor profile first.")
            )
        profile.skills = list(dict.fromkeys(skills))
        profile.save(update_fields=["skills", "updated_at"])
    return profile
