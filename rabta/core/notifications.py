"""The one notification service: every notice a person gets goes through ``notify``.

* Kinds are declared, not invented at the call (``core.kinds``): each app lists its
  ``NoticeKind``s in its ``notices.py`` and registers them when the app is ready.  Every kind
  can be emailed; each declares its default delivery (at once, daily or weekly digest, in-app
  only), which a person may change (``core.preferences``).
* ``notify`` writes the inbox notice in the caller's transaction, so it exists exactly when the
  change it reports committed, and exactly once: an idempotency key made of the recipient,
  the kind, the object and an optional extra key (a session, a deadline) is unique, so a
  retried task or a repeated call tells nobody twice.
* A notice the person hears of at once is written to the outbox in the same transaction and
  sent after commit (``core.emails``); one they read in a digest waits for it
  (``core.digests``).  Files for the email (a calendar invite) go with it as ``attachments``;
  a digest carries none, so a notice that needs its file is emailed at once.
* The text is in the recipient's language and every time in their zone: a kind's title is a
  message marked with ``gettext_noop`` and formatted with the context, or, for kinds with
  templates, the subject and body templates rendered with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from rabta.core.emails import Attachment, Message, email_queue, message_compose, reading_as
from rabta.core.kinds import NoticeKind, kind_get, kinds, kinds_register
from rabta.core.models import Delivery, Notification
from rabta.core.preferences import delivery_for

__all__ = [
    "CORE_KINDS",
    "NoticeKind",
    "job_done_notify",
    "kind_get",
    "kinds",
    "kinds_register",
    "notice_key",
    "notifications_mark_read",
    "notify",
]

CORE_KINDS = (
    NoticeKind(
        key="core.job_done",
        label=gettext_lazy("A job you started has finished"),
        title=gettext_noop("A job you started has finished: %(message)s"),
    ),
)


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
    attachments: Sequence[Attachment] = (),
) -> Notification | None:
    """Tell ``recipient`` (a user) about ``obj``, once.  ``key`` tells apart notices of one kind
    about one object that are meant to repeat (a reminder per session, a deadline per offer);
    ``attachments`` go with its email when it is emailed at once.  Returns the new notice, or
    None when this one was given before."""
    spec = kind_get(kind)
    unique = notice_key(kind, obj, key)
    if Notification.objects.filter(user_id=recipient.pk, key=unique).exists():
        return None  # told already: nothing to render
    emailable = getattr(recipient, "is_active", True) and getattr(recipient, "email", "")
    delivery = delivery_for(recipient, spec) if emailable else Delivery.INAPP
    with reading_as(recipient):
        title, text, body = _texts(spec, dict(context or {}), url, delivery == Delivery.NOW)
        message = (
            _message(recipient, spec, title, body, url, attachments)
            if delivery == Delivery.NOW
            else None
        )
    try:
        with transaction.atomic():
            email = None
            if message is not None:
                email = email_queue(user=recipient, kind=kind, key=unique, message=message)
            return Notification.objects.create(
                user_id=recipient.pk,
                kind=kind,
                title=title[:200],
                body=text,
                url=url[:300],
                key=unique,
                delivery=delivery,
                email=email,
            )
    except IntegrityError:
        return None  # told already, by a call that committed in between


def _texts(
    spec: NoticeKind, values: dict[str, Any], url: str, emailed: bool
) -> tuple[str, str, str]:
    """The title and inbox text of a notice, and its email body (empty unless emailed now), in
    the active language and zone."""
    if spec.template:
        title = render_to_string(f"{spec.template}_subject.txt", values).strip()
        body = render_to_string(f"{spec.template}_body.txt", values) if emailed else ""
        return title, "", body
    short = {
        name: str(value)[:120] if isinstance(value, str | models.Model) else value
        for name, value in values.items()
    }
    title = _(spec.title) % short
    text = _(spec.body) % short if spec.body else ""
    link = f"{settings.SITE_URL}{url}" if url else ""
    body = "\n\n".join(part for part in (title, text, link) if part) if emailed else ""
    return title, text, body


def _message(
    recipient: Any,
    spec: NoticeKind,
    title: str,
    body: str,
    url: str,
    attachments: Sequence[Attachment] = (),
) -> Message:
    if spec.always:
        reason = _("We always email this kind of notice at once: “%(kind)s”.")
    else:
        reason = _(
            "You get this email at once because of your notification settings for “%(kind)s”."
        )
    return message_compose(
        user=recipient,
        kind=spec.key,
        subject=title,
        body=body,
        url=url,
        reason=reason % {"kind": spec.label},
        attachments=attachments,
    )


def job_done_notify(user: Any, job: Any, url: str = "") -> Notification | None:
    """Tell the person who started ``job`` (a ``core.Job``) that it finished, once per run;
    the jobs code calls this when a run someone started ends."""
    message = job.message or job.State(job.state).label
    return notify(user, "core.job_done", job, {"message": message}, url=url or job.result_url)


def notifications_mark_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
