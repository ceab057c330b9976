"""How each person hears of each kind of notice: at once by email, in a daily or weekly digest,
or in the inbox only.  A kind declares its default; a ``NoticePreference`` row holds a person's
own choice where it differs.  "Always" kinds (a request waiting for a contributor, the reminder
before it lapses) are emailed at once unless the person turned their email off.

Every email carries a one-click unsubscribe link (RFC 8058) for its kind: a signed token that
names the person and the kind (or "digest"), good without signing in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from rabta.core.errors import invalid
from rabta.core.kinds import NoticeKind, delivery_choices, kind_get, kinds
from rabta.core.models import Delivery, NoticePreference, Notification

DIGEST = "digest"  # the kind an unsubscribe link of a digest names
DIGESTED = (Delivery.DAILY, Delivery.WEEKLY)
_SALT = "rabta.core.unsubscribe"


def _allowed(kind: NoticeKind, delivery: str) -> str:
    """The delivery in force for ``kind`` when the person chose ``delivery``."""
    if kind.always and delivery != Delivery.INAPP:
        return Delivery.NOW
    return delivery


def delivery_for(user: Any, kind: NoticeKind) -> str:
    """How ``user`` hears of ``kind`` now: their choice, or the kind's default."""
    chosen = (
        NoticePreference.objects.filter(user_id=user.pk, kind=kind.key)
        .values_list("delivery", flat=True)
        .first()
    )
    return _allowed(kind, chosen or kind.delivery)


def deliveries_of(user: Any) -> dict[str, str]:
    """Every declared kind's delivery for ``user`` (what the preferences page shows)."""
    chosen = dict(NoticePreference.objects.filter(user_id=user.pk).values_list("kind", "delivery"))
    return {kind.key: _allowed(kind, chosen.get(kind.key, kind.delivery)) for kind in kinds()}


def _set(user_id: int, kind: NoticeKind, delivery: str) -> None:
    """Store one choice; a choice equal to the default is no row, so a better default later
    reaches everyone who never chose.  Notices of a kind turned to the inbox only stop waiting
    for a digest."""
    if delivery == kind.delivery:
        NoticePreference.objects.filter(user_id=user_id, kind=kind.key).delete()
    else:
        NoticePreference.objects.update_or_create(
            user_id=user_id, kind=kind.key, defaults={"delivery": delivery}
        )
    if delivery == Delivery.INAPP:
        Notification.objects.filter(
            user_id=user_id, kind=kind.key, email__isnull=True, delivery__in=DIGESTED
        ).update(delivery=Delivery.INAPP)


def preferences_save(*, user: Any, choices: Mapping[str, str]) -> int:
    """Save ``user``'s choices (kind key → delivery); all or nothing.  Refuses an undeclared
    kind and a delivery the kind does not offer.  Returns how many kinds changed."""
    checked: list[tuple[NoticeKind, str]] = []
    for key, delivery in choices.items():
        try:
            kind = kind_get(key)
        except ValueError:
            raise invalid(key, _("There is no such kind of notice.")) from None
        if delivery not in dict(delivery_choices(kind)):
            raise invalid(key, _("Choose one of the offered ways to hear of this."))
        checked.append((kind, delivery))
    current = deliveries_of(user)
    changed = [(kind, delivery) for kind, delivery in checked if current[kind.key] != delivery]
    with transaction.atomic():
        for kind, delivery in changed:
            _set(user.pk, kind, delivery)
    return len(changed)


# --- one-click unsubscribe -------------------------------------------------------------------


def unsubscribe_token(user_id: int, kind: str) -> str:
    """The same token every time for a person and kind (no timestamp): links in old emails
    keep working, and a leaked one can only turn one kind of email off."""
    return signing.Signer(salt=_SALT).sign_object({"u": user_id, "k": kind})


def unsubscribe_url(user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id, kind)
    return settings.SITE_URL + reverse("core:unsubscribe", args=[token])


def unsubscribe_read(token: str) -> tuple[Any, str] | None:
    """The person and the kind a token names, or None for a bad, tampered or stale token."""
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    if kind != DIGEST and kind not in {declared.key for declared in kinds()}:
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    return (user, kind) if user is not None else None


def unsubscribe(*, user: Any, kind: str) -> list[NoticeKind]:
    """Turn off the email of one kind (or of every kind now sent in a digest) for ``user``:
    those kinds go to the inbox only.  Nothing else changes.  Returns the kinds turned off."""
    current = deliveries_of(user)
    if kind == DIGEST:
        chosen = [k for k in kinds() if current[k.key] in DIGESTED]
    else:
        chosen = [kind_get(kind)]
    with transaction.atomic():
        for declared in chosen:
            if current[declared.key] != Delivery.INAPP:
                _set(user.pk, declared, Delivery.INAPP)
    return chosen
