"""Evidence for a case study: files checked by the one upload checker (``uploads``), stored
under random names, with a thumbnail for images."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import invalid
from rabta.portfolio import selectors
from rabta.portfolio.models import Attachment
from rabta.portfolio.services.fields import model_clean
from rabta.portfolio.uploads import MAX_ATTACHMENTS_PER_ITEM, CleanFile, file_clean


def _stored(token: str, clean: CleanFile) -> tuple[str, str]:
    """The file and its thumbnail in storage; nothing is left behind when either fails."""
    stored = default_storage.save(f"portfolio/{token}{clean.extension}", ContentFile(clean.content))
    thumb = ""
    try:
        if clean.thumbnail is not None:
            thumb = default_storage.save(
                f"portfolio/{token}-thumb.jpg", ContentFile(clean.thumbnail)
            )
    except Exception:
        default_storage.delete(stored)
        raise
    return stored, thumb


def attachment_add(
    *, user: User, item_id: int, name: str, data: bytes, label: str = "", cleared: bool = False
) -> Attachment:
    item = selectors.item_get_for_owner(user=user, item_id=item_id)
    if selectors.attachment_count(item=item) >= MAX_ATTACHMENTS_PER_ITEM:
        raise invalid(
            "file", _("An item holds at most %(n)d files.") % {"n": MAX_ATTACHMENTS_PER_ITEM}
        )
    clean = file_clean(name=name, data=data)
    token = secrets.token_urlsafe(18)
    stored, thumb = _stored(token, clean)
    attachment = Attachment(
        item=item,
        token=token,
        kind=clean.kind,
        file=stored,
        thumbnail=thumb,
        content_type=clean.content_type,
        size=len(clean.content),
        width=clean.width,
        height=clean.height,
        # no fallback to the uploaded name: "ClientCo_tower.pdf" would name a redacted client
        label=label.strip()[:120],
        cleared_for_redacted=cleared,
    )
    try:
        model_clean(attachment)
        attachment.save()
    except Exception:
        default_storage.delete(stored)
        if thumb:
            default_storage.delete(thumb)
        raise
    return attachment


def attachment_delete(*, user: User, token: str) -> None:
    selectors.attachment_get_for_owner(user=user, token=token).delete()  # files: signals.py
