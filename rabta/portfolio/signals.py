"""Stored files follow their rows: whenever an attachment row is deleted (the file alone, its
case study, or the whole account through the cascade), its file and thumbnail are removed from
storage once the deletion has committed."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from rabta.portfolio.models import Attachment


@receiver(post_delete, sender=Attachment, dispatch_uid="portfolio_attachment_files_delete")
def attachment_files_delete(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    names = [name for name in (instance.file, instance.thumbnail) if name]

    def remove() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove)
