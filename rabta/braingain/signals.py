"""A change to any contributor profile (capacity, pause, skills, time zone) makes the cached
suggestion pool stale; a message deleted (with its conversation, or a deleted account's match)
takes its attachment's file with it once the deletion is committed; a representative who leaves
an institution leaves its conversations."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rabta.accounts.models import ContributorProfile, InstitutionMembership
from rabta.braingain.models import ConversationMember, Message
from rabta.braingain.services import pool_invalidate


@receiver(post_save, sender=ContributorProfile)
def contributor_changed(**kwargs: Any) -> None:
    pool_invalidate()


@receiver(post_delete, sender=Message, dispatch_uid="braingain_message_file_delete")
def message_file_delete(sender: Any, instance: Message, **kwargs: Any) -> None:
    if instance.attachment:
        name, storage = str(instance.attachment.name), instance.attachment.storage
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=InstitutionMembership, dispatch_uid="braingain_rep_left")
def representative_left(sender: Any, instance: InstitutionMembership, **kwargs: Any) -> None:
    """Representatives are in an institution's conversations for the institution: one who no
    longer represents it reads them no more (the ask's owner and the contributor stay)."""
    institution = instance.institution_id
    ConversationMember.objects.filter(user_id=instance.user_id, role="institution").filter(
        Q(conversation__mentorship__ask__institution_id=institution)
        | Q(conversation__engagement__ask__institution_id=institution)
        | Q(conversation__request__ask__institution_id=institution)
    ).delete()
