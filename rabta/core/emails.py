"""The outbox: every email Rabta sends a person about a notice or a digest.

* ``email_queue`` writes the ``Email`` row in the caller's transaction and enqueues the send
  after commit, so a rolled-back change sends nothing, and the row's unique key (the notice's
  key, or the digest's period) makes it one message per person, kind and object.
* ``email_deliver`` (the send task's work) claims the row with one conditional UPDATE before it
  sends, so a duplicate delivery of the task sends nothing more; a mail server's refusal (smtplib
  errors are OSErrors) marks it failed with the error for the task to retry with back-off, and
  the last attempt gives up.  ``emails_sweep`` sends again what a lost message or a killed
  worker left behind.
* Each message is multipart (plain text and light HTML), rendered in the reader's language and
  time zone (``reading_as``), and carries a one-click unsubscribe for its kind (RFC 8058).
* A message may carry files (``Attachment``: a calendar invite), kept on the row with the
  words until they are sent and cleared with them a month on.

``email_send`` is the one caller of Django's mail API: mail to people who have no inbox yet
(an address to verify, an invitation) uses it directly.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from email import encoders
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from rabta.core.models import Email
from rabta.core.preferences import unsubscribe_url
from rabta.core.states import Machine, claim, step
from rabta.core.tasks import email_send_task, task_enqueue

MAX_ATTEMPTS = 6
RETRY_SECONDS = 60  # the first retry; each later one waits twice as long
PENDING_LOST_AFTER = timedelta(minutes=5)  # a send enqueued but never run
SENDING_STUCK_AFTER = timedelta(minutes=30)  # a worker killed while sending
FAILED_OVERDUE_AFTER = timedelta(hours=1)  # a retry that never came (longer than any back-off)
SWEEP_BATCH = 500
BODIES_KEPT = timedelta(days=30)
# the preferences page (in accounts, which core may not import), named for the email footers
PREFERENCES_URL_NAME = "accounts:notifications"

S = Email.State
EMAIL = Machine(
    "email",
    "state",
    {
        "claim": step([S.PENDING, S.FAILED], S.SENDING, ["system"]),
        "send": step([S.SENDING], S.SENT, ["system"]),
        "fail": step([S.SENDING], S.FAILED, ["system"]),
        "give_up": step([S.PENDING, S.SENDING, S.FAILED], S.GAVE_UP, ["system"]),
    },
)


# --- the reader ------------------------------------------------------------------------------


def reader_zone(user: Any) -> tzinfo:
    """The zone ``user`` reads times in (``User.zone``: their own, a contributor's, or the
    platform's)."""
    zone = getattr(user, "zone", None)
    return zone if isinstance(zone, tzinfo) else ZoneInfo(settings.TIME_ZONE)


def reader_language(user: Any) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


@contextmanager
def reading_as(user: Any) -> Iterator[None]:
    """Render for ``user``: their language, and every time in their zone."""
    with translation.override(reader_language(user)), timezone.override(reader_zone(user)):
        yield


# --- composing -------------------------------------------------------------------------------


class Attachment(TypedDict):
    """A file sent with an email.  ``type`` is its content type with any parameters
    (``text/calendar; method=REQUEST``); ``content`` is the text of a ``text/*`` file, or
    the base64 of any other."""

    name: str
    type: str
    content: str


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()


def footer_context(*, user: Any, kind: str, reason: str) -> dict[str, str]:
    """Why the person got this email and how to stop it: every message ends with it."""
    return {
        "reason": reason,
        "unsubscribe": unsubscribe_url(user.pk, kind),
        "preferences": settings.SITE_URL + reverse(PREFERENCES_URL_NAME),
    }


def message_compose(
    *,
    user: Any,
    kind: str,
    subject: str,
    body: str,
    url: str,
    reason: str,
    attachments: Sequence[Attachment] = (),
) -> Message:
    """A notice as an email, in the active language: the text as written, and the same
    paragraphs in the light HTML part with a button for the link (called inside
    ``reading_as``), with ``attachments`` sent alongside."""
    link = settings.SITE_URL + url if url else ""
    paragraphs = [part.strip() for part in body.strip().split("\n\n") if part.strip()]
    context = {
        "subject": subject,
        "body": body.strip(),
        "paragraphs": [part for part in paragraphs if part != link],
        "link": link,
        **footer_context(user=user, kind=kind, reason=reason),
    }
    return Message(
        " ".join(subject.split())[:200],
        render_to_string("core/email/notice.txt", context),
        render_to_string("core/email/notice.html", context),
        tuple(attachments),
    )


# --- the outbox ------------------------------------------------------------------------------


def email_queue(*, user: Any, kind: str, key: str, message: Message) -> Email | None:
    """Write one email in the caller's transaction and send it after commit.  None when the
    person was sent this key before."""
    try:
        with transaction.atomic():
            email = Email.objects.create(
                user_id=user.pk,
                kind=kind,
                key=key[:200],
                subject=message.subject,
                text=message.text,
                html=message.html,
                attachments=[dict(a) for a in message.attachments],
                language=reader_language(user),
            )
    except IntegrityError:
        return None
    task_enqueue(email_send_task, email.pk)
    return email


def email_deliver(*, email_id: int) -> str:
    """Send one email of the outbox, once: "sent", "skipped" (sent, or being sent, by another
    delivery of the task), "retry" (the server refused; try again later) or "gave_up"."""
    now = timezone.now()
    rows = Email.objects.filter(pk=email_id)
    if not claim(EMAIL, rows, "claim", attempts=F("attempts") + 1, claimed_at=now):
        return "skipped"
    email = Email.objects.select_related("user").get(pk=email_id)
    address = email.user.email if email.user.is_active else ""
    if not address:
        claim(EMAIL, rows, "give_up", last_error="The person has no active email address.")
        return "gave_up"
    try:
        email_send(
            to=address,
            subject=email.subject,
            body=email.text,
            html=email.html,
            headers=unsubscribe_headers(email.user_id, email.kind),
            attachments=email.attachments,
        )
    except OSError as error:  # smtplib's errors, refused connections and time-outs
        final = email.attempts >= MAX_ATTEMPTS
        claim(EMAIL, rows, "give_up" if final else "fail", last_error=_error_text(error))
        return "gave_up" if final else "retry"
    claim(EMAIL, rows, "send", sent_at=timezone.now(), last_error="")
    return "sent"


def retry_countdown(attempts: int) -> int:
    """Seconds before the next attempt after ``attempts`` failed ones: 1, 2, 4, 8, 16 minutes."""
    return RETRY_SECONDS * 2 ** max(0, attempts - 1)


def _error_text(error: OSError) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def unsubscribe_headers(user_id: int, kind: str) -> dict[str, str]:
    """RFC 8058: a mail client may unsubscribe with one POST to the link, without a page."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def email_send(
    *,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Hand one message to the mail backend.  The only caller of Django's mail API in Rabta."""
    message = EmailMultiAlternatives(
        " ".join(subject.split())[:200], body, None, [to], headers=dict(headers or {})
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment_part(attachment))
    message.send()


def attachment_part(attachment: Attachment) -> MIMEBase:
    """The MIME part of one attachment, its content type's parameters kept (a calendar
    client reads ``method=REQUEST`` or ``CANCEL`` from the part's header, not the file)."""
    main, _slash, rest = attachment["type"].partition("/")
    subtype, *params = (piece.strip() for piece in rest.split(";"))
    part: MIMEBase
    if main.strip().lower() == "text":
        part = MIMEText(attachment["content"], subtype or "plain", "utf-8")
    else:
        part = MIMEBase(main.strip(), subtype or "octet-stream")
        part.set_payload(base64.b64decode(attachment["content"]))
        encoders.encode_base64(part)
    for param in params:
        name, _equals, value = param.partition("=")
        if name.strip():
            part.set_param(name.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=attachment["name"])
    return part


def emails_sweep(*, now: datetime | None = None) -> int:
    """Send again what was left behind: a send enqueued but lost, a worker killed while sending
    (after the last attempt, given up) and a retry that never came.  Returns how many were sent
    to a worker again."""
    now = now or timezone.now()
    stuck = Email.objects.filter(state=S.SENDING, claimed_at__lt=now - SENDING_STUCK_AFTER)
    stopped = "The worker stopped while sending."
    claim(EMAIL, stuck.filter(attempts__gte=MAX_ATTEMPTS), "give_up", last_error=stopped)
    taken_back = list(stuck.order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    claim(EMAIL, Email.objects.filter(pk__in=taken_back), "fail", last_error=stopped)
    lost = Email.objects.filter(state=S.PENDING, created_at__lt=now - PENDING_LOST_AFTER)
    overdue = Email.objects.filter(state=S.FAILED, claimed_at__lt=now - FAILED_OVERDUE_AFTER)
    waiting = (lost | overdue).exclude(pk__in=taken_back).order_by("pk")
    again = taken_back + list(waiting.values_list("pk", flat=True)[:SWEEP_BATCH])
    for email_id in again:
        task_enqueue(email_send_task, email_id)
    # a month on, a delivered message keeps its record (who, what kind, when, how it went) but
    # not its words: the outbox does not become a second copy of everyone's mail
    Email.objects.filter(state__in=(S.SENT, S.GAVE_UP), created_at__lt=now - BODIES_KEPT).exclude(
        text="", html="", attachments=[]
    ).update(text="", html="", attachments=[])
    return len(again)
