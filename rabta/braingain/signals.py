"""A change to any contributor profile (capacity, pause, skills, time zone) makes the cached
suggestion pool stale."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from rabta.accounts.models import ContributorProfile
from rabta.braingain.services import pool_invalidate


@receiver(post_save, sender=ContributorProfile)
def contributor_changed(**kwargs: Any) -> None:
    pool_invalidate()
