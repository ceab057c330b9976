"""A person who says where they live (a contributor's city, an engineer's district) joins the
chapters there, unless they left them before."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from rabta.accounts.models import ContributorProfile, EngineerProfile


@receiver(post_save, sender=ContributorProfile)
@receiver(post_save, sender=EngineerProfile)
def location_saved(instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    from rabta.community.services import chapters_autojoin

    chapters_autojoin(user=instance.user)
