"""The one notification service: every notice a person gets goes through ``notify``.

* Kinds are declared, not invented at the call: each app lists its ``NoticeKind``s in its
  ``notices.py`` and registers them when the app is ready, so the whole list is known
  (``kinds()``) to the inbox, to preferences and to digests.
* ``notify`` writes the inbox notice in the caller's transaction, so it exists exactly when the
  change it reports committed, and exactly once: an idempotency key made of the recipient,
  the kind, the object and an optional extra key (a session, a deadline) is unique, so a
  retried task or a repeated call tells nobody twice.
* A kind that is emailed schedules the email after commit (``task_enqueue``); the task claims the
  notice before it sends, so a duplicate delivery of the task sends nothing more.
* The text is in the recipient's language: a kind's title is a message marked with
  ``gettext_noop`` and formatted with the context, or, for kinds with templates, the subject and
  body templates rendered with it.

``email_send`` is the one place that hands mail to Django's backend: messages to people who
have no inbox yet (an address to verify, an invitation) use it directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rabta.core.models import Notification
from rabta.core.tasks import notification_email_task, task_enqueue


@dataclass(frozen=True)
class NoticeKind:
    key: str  # "<app>.<what>", stored on the notice
    label: Any  # what the person's notification settings call it (lazily translated)
    title: str = ""  # gettext_noop message, formatted with the context (text cut at 120)
    body: str = ""  # gettext_noop message shown under the title in the inbox
    email: bool = False  # also sent by email
    template: str = ""  # "<app>/email/<name>": <name>_subject.txt and <name>_body.txt


_KINDS: dict[str, NoticeKind] = {}


def kinds_register(*declared: NoticeKind) -> None:
    """Called from an app's ``ready()`` with the kinds its ``notices.py`` declares."""
    for kind in declared:
        known = _KINDS.get(kind.key)
        if known is not None and known != kind:
            raise ValueError(f"notice kind {kind.key} is declared twice")
        if not kind.title and not kind.template:
            raise ValueError(f"notice kind {kind.key} has neither a title nor templates")
        if len(kind.key) > Notification._meta.get_field("kind").max_length:  # type: ignore[operator]
            raise ValueError(f"notice kind {kind.key} is too long")
        _KINDS[kind.key] = kind


def kinds() -> list[NoticeKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


def kind_get(key: str) -> NoticeKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise ValueError(f"undeclared notice kind: {key}") from None


def notice_key(kind: str, obj: models.Model | None, extra: str = "") -> str:
    """The idempotency key of one notice to one recipient."""
    subject = f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else "-"
    return f"{kind}:{subject}:{extra}"[:200]


def notify(
    recipient: Any,
    kind: str,
    obj: models.Model | None = None,
    context: Mapping[str, Any] | None = None,
    *,
    url: str = "",
    key: str = "",
) -> Notification | None:
    """Tell ``recipient`` (a user) about ``obj``, once.  ``key`` tells apart notices of one kind
    about one object that are meant to repeat (a reminder per session, a deadline per offer).
    Returns the new notice, or None when this one was given before."""
    spec = kind_get(kind)
    language = getattr(recipient, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        title, text, body = _texts(spec, dict(context or {}), url)
    try:
        with transaction.atomic():
            notice = Notification.objects.create(
                user_id=recipient.pk,
                kind=kind,
                title=title[:200],
                body=text,
                url=url[:300],
                key=notice_key(kind, obj, key),
            )
    except IntegrityError:
        return None  # told already
    if spec.email:
        task_enqueue(notification_email_task, notice.pk, body)
    return notice


def _texts(spec: NoticeKind, values: dict[str, Any], url: str) -> tuple[str, str, str]:
    """The title and inbox text of a notice, and its email body (empty unless emailed), in the
    active language."""
    if spec.template:
        title = render_to_string(f"{spec.template}_subject.txt", values).strip()
        body = render_to_string(f"{spec.template}_body.txt", values) if spec.email else ""
        return title, "", body
    short = {
        name: str(value)[:120] if isinstance(value, str | models.Model) else value
        for name, value in values.items()
    }
    title = _(spec.title) % short
    text = _(spec.body) % short if spec.body else ""
    body = f"{title}\n\n{text}\n\n{settings.SITE_URL}{url}\n" if spec.email else ""
    return title, text, body


def notification_email(*, notification_id: int, body: str) -> bool:
    """Email a notice that has not been emailed yet (the task's work).  True when it was sent
    now.  The claim comes first, so two deliveries of the task cannot both send; a failed send
    gives the claim back for the retry."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notice = Notification.objects.select_related("user").get(pk=notification_id)
    if not notice.user.is_active or not notice.user.email:
        return False
    try:
        email_send(to=notice.user.email, subject=notice.title, body=body)
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def email_send(*, to: str, subject: str, body: str) -> None:
    """Hand one message to the mail backend.  The only caller of ``send_mail`` in Rabta."""
    send_mail(" ".join(subject.split())[:200], body, None, [to])


def notifications_mark_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
