"""A change to any contributor profile (capacity, pause, skills, time zone) makes the cached
suggestion pool stale; a message deleted (with its conversation, or a deleted account's match)
takes its attachment's file with it once the deletion is committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rabta.accounts.models import ContributorProfile
from rabta.braingain.models import Message
from rabta.braingain.services import pool_invalidate


@receiver(post_save, sender=ContributorProfile)
def contributor_changed(**kwargs: Any) -> None:
    pool_invalidate()


@receiver(post_delete, sender=Message, dispatch_uid="braingain_message_file_delete")
def message_file_delete(sender: Any, instance: Message, **kwargs: Any) -> None:
    if instance.attachment:
        name, storage = str(instance.attachment.name), instance.attachment.storage
        transaction.on_commit(lambda: storage.delete(name))
