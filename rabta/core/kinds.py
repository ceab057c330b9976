"""The declared kinds of notice.  Each app lists its ``NoticeKind``s in its ``notices.py`` and
registers them when the app is ready, so the whole list is known to the inbox, to the
preferences page and to the digests.  (Apps import these names from ``core.notifications``.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rabta.core.models import Delivery, Notification


@dataclass(frozen=True)
class NoticeKind:
    key: str  # "<app>.<what>", stored on the notice
    label: Any  # what the person's notification settings call it (lazily translated)
    title: str = ""  # gettext_noop message, formatted with the context (text cut at 120)
    body: str = ""  # gettext_noop message shown under the title in the inbox
    template: str = ""  # "<app>/email/<name>": <name>_subject.txt and <name>_body.txt
    delivery: str = Delivery.NOW  # the default: at once, daily, weekly or in-app only
    # emailed at once whatever the person's digest choice (they may only turn email off)
    always: bool = False


_KINDS: dict[str, NoticeKind] = {}
_GROUPS: dict[str, Any] = {}


def kinds_register(*declared: NoticeKind, group: Any = "") -> None:
    """Called from an app's ``ready()`` with the kinds its ``notices.py`` declares; ``group``
    names them together on the preferences page (the app, as people know it)."""
    for kind in declared:
        known = _KINDS.get(kind.key)
        if known is not None and known != kind:
            raise ValueError(f"notice kind {kind.key} is declared twice")
        if not kind.title and not kind.template:
            raise ValueError(f"notice kind {kind.key} has neither a title nor templates")
        if len(kind.key) > Notification._meta.get_field("kind").max_length:  # type: ignore[operator]
            raise ValueError(f"notice kind {kind.key} is too long")
        if kind.delivery not in Delivery.values:
            raise ValueError(f"notice kind {kind.key} has an unknown delivery {kind.delivery}")
        if kind.always and kind.delivery != Delivery.NOW:
            raise ValueError(f"notice kind {kind.key} is always emailed, so its default is now")
        _KINDS[kind.key] = kind
        _GROUPS.setdefault(kind.key, group)


def kinds() -> list[NoticeKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


def kind_get(key: str) -> NoticeKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise ValueError(f"undeclared notice kind: {key}") from None


def kinds_grouped() -> list[tuple[Any, list[NoticeKind]]]:
    """Every kind under its group, in the order the apps registered them; core's own (the
    background jobs) last, after the programmes people came for."""
    grouped: dict[str, tuple[Any, list[NoticeKind]]] = {}
    for key, group in sorted(_GROUPS.items(), key=lambda item: item[0].startswith("core.")):
        grouped.setdefault(str(group), (group, []))[1].append(_KINDS[key])
    return list(grouped.values())


def delivery_choices(kind: NoticeKind) -> list[tuple[str, Any]]:
    """What a person may choose for ``kind``: an "always" kind is at once or in-app only."""
    if kind.always:
        return [(Delivery.NOW, Delivery.NOW.label), (Delivery.INAPP, Delivery.INAPP.label)]
    return list(Delivery.choices)
