"""Conversations between matched people: the private thread of a mentorship (or supervision,
research guidance, advising), a consultancy engagement, or an accepted request.

Nobody can message a stranger: a conversation exists only for a match, and only its members
(both parties, plus the representatives of the institution whose ask it is) can read or write
in it.  It is made when the match is made (``conversation_for_match`` from the request and
award services), and made on first opening for matches older than conversations.

A message is Markdown rendered once through the one sanitiser, with the forum's link counting;
an attachment goes through the one upload checker (``rabta.core.uploads``).  The others are told
at once, but once per unread burst: the notice's key is the member's read receipt, so a second
message before they have read the first tells nobody again.  Programme staff read a
conversation only while a report on it is open, and every such read is audited
(``selectors_conversations.conversation_get_for_staff``).
"""

from __future__ import annotations

import html
import secrets
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from rabta.accounts.models import InstitutionMembership, User
from rabta.braingain import selectors_conversations
from rabta.braingain.models import (
    MESSAGE_MAX,
    Ask,
    Conversation,
    ConversationMember,
    Engagement,
    MatchRequest,
    Mentorship,
    Message,
    MessageReport,
    RequestStatus,
)
from rabta.core.errors import DomainError, ErrorCode, NotFound, forbidden, invalid
from rabta.core.markdown import link_count, markdown_render
from rabta.core.models import Notification
from rabta.core.notifications import notice_key, notify
from rabta.core.services import audit_record, save_validated
from rabta.core.uploads import MAX_UPLOAD_BYTES, display_name, file_clean

MESSAGE_LINKS = 10  # web addresses in one message (the forum's counting, a trusted member's cap)
PREVIEW_CHARS = 80  # of plain text in the notice (and so in its email)
REPORT_MAX = 1000
NOTICE = "braingain.message"

Match = Mentorship | Engagement | MatchRequest


# --- the conversation of a match ---------------------------------------------------------------


def _resolved(match: Match) -> Mentorship | Engagement | MatchRequest:
    """The match a conversation hangs on: an accepted request that made a mentorship talks in
    the mentorship's conversation; any other request must be accepted."""
    if isinstance(match, MatchRequest):
        made = Mentorship.objects.select_related("ask").filter(request=match).first()
        if made is not None:
            return made
        if match.status != RequestStatus.ACCEPTED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("Only an accepted request has a conversation.")
            )
    return match


def _people(match: Match) -> dict[int, str]:
    """Who is in the conversation of ``match``: user id to role, the two parties first, then
    the representatives of the ask's institution."""
    ask: Ask = match.ask
    if isinstance(match, Mentorship):
        parties = [(match.mentor_id, "mentor"), (match.mentee_id, "mentee")]
    elif isinstance(match, Engagement):
        parties = [(match.consultant_id, "consultant"), (match.client_id, "client")]
    else:
        parties = [(match.contributor_id, "contributor"), (ask.owner_id, "seeker")]
    people: dict[int, str] = {}
    for user_id, role in parties:
        people.setdefault(user_id, role)
    if ask.institution_id is not None:
        representatives = InstitutionMembership.objects.filter(
            institution_id=ask.institution_id
        ).order_by("user_id")
        for user_id in representatives.values_list("user_id", flat=True):
            people.setdefault(user_id, "institution")
    return people


def _field(match: Match) -> str:
    if isinstance(match, Mentorship):
        return "mentorship"
    if isinstance(match, Engagement):
        return "engagement"
    return "request"


def conversation_for_match(
    *,
    mentorship: Mentorship | None = None,
    engagement: Engagement | None = None,
    request: MatchRequest | None = None,
) -> Conversation:
    """The conversation of one match, made with its members the first time (idempotent: the
    match is unique on the conversation, so a second call, or a racing one, finds it)."""
    given = [m for m in (mentorship, engagement, request) if m is not None]
    if len(given) != 1:
        raise ValueError("name exactly one match")
    return _conversation_of(_resolved(given[0]))


def _conversation_of(match: Match) -> Conversation:
    field = _field(match)
    found = Conversation.objects.filter(**{field: match}).first()
    if found is not None:
        return found
    people = _people(match)
    try:
        with transaction.atomic():
            # made from a match, not typed by anyone: the constraints are the database's
            conversation = Conversation.objects.create(
                subject=match.ask.title[:200], **{field: match}
            )
            ConversationMember.objects.bulk_create(
                ConversationMember(conversation=conversation, user_id=user_id, role=role)
                for user_id, role in people.items()
            )
    except IntegrityError:
        return Conversation.objects.get(**{field: match})
    return conversation


MATCHES: dict[str, Any] = {
    "mentorship": Mentorship,
    "engagement": Engagement,
    "request": MatchRequest,
}


def conversation_open(*, user: User, match: str, match_id: int) -> Conversation:
    """The conversation of a match ``user`` is in, from the match's page: made if the match is
    older than conversations, and joined by a representative who joined the institution since.
    A 404 for everyone else, who changes nothing."""
    model = MATCHES.get(match)
    if model is None:
        raise NotFound()
    found = model.objects.select_related("ask").filter(pk=match_id).first()
    if found is None:
        raise NotFound()
    try:
        resolved = _resolved(found)
    except DomainError:
        raise NotFound() from None
    role = _people(resolved).get(user.pk)
    if role is None:
        raise NotFound()
    conversation = _conversation_of(resolved)
    ConversationMember.objects.get_or_create(
        conversation=conversation, user=user, defaults={"role": role}
    )
    return conversation


# --- messages ------------------------------------------------------------------------------------


def _body_checked(body: str) -> tuple[str, str]:
    """The trimmed text and its sanitised HTML, or a refusal naming the body."""
    text = (body or "").strip()
    if not text:
        raise invalid("body", _("Write a message first."))
    if len(text) > MESSAGE_MAX:
        raise invalid(
            "body",
            _("A message may be at most %(n)s characters; this one has %(m)s.")
            % {"n": f"{MESSAGE_MAX:,}", "m": f"{len(text):,}"},
        )
    rendered, _mentioned = markdown_render(text)
    # addresses typed as text and links in any form that rendered, counted as the forum does
    if max(link_count(text), rendered.count("<a ")) > MESSAGE_LINKS:
        raise invalid(
            "body",
            _("A message may hold at most %(n)d web addresses.") % {"n": MESSAGE_LINKS},
        )
    return text, rendered


def _attachment_checked(upload: Any) -> tuple[bytes, str, str, str]:
    """The checked content, its stored extension, the name to show and the content type.
    A name that tries to reach outside a folder is refused, not repaired."""
    name = str(getattr(upload, "name", "") or "")
    if any(ch in name for ch in "/\\") or ".." in name or not name.isprintable():
        raise invalid("file", _("Rename the file to a plain name and upload it again."))
    if (getattr(upload, "size", None) or 0) > MAX_UPLOAD_BYTES:  # before reading it
        raise invalid(
            "file",
            _("The file is larger than %(mb)d MB. Export a smaller version and try again.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    clean = file_clean(name=name, data=upload.read(MAX_UPLOAD_BYTES + 1))
    stem = PurePosixPath(display_name(name)).stem[:100] or "attachment"
    return clean.content, clean.extension, f"{stem}{clean.extension}", clean.content_type


def _preview(body_html: str) -> str:
    """A short plain-text preview of a message (no markup, no links to click)."""
    text = " ".join(html.unescape(strip_tags(body_html)).split())
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rstrip() + "…"


def _tell_others(conversation: Conversation, message: Message, author: User) -> None:
    """Every other member hears of it once per unread burst: the notice's key is their read
    receipt, which moves only when they open the thread."""
    url = reverse("braingain:conversation", args=[conversation.pk]) + "#latest"
    context = {
        "title": conversation.subject,
        "name": author.display_name,
        "preview": _preview(message.body_html) or message.attachment_name,
    }
    for member in conversation.members.exclude(user=author).select_related("user"):
        burst = member.last_read_at.isoformat() if member.last_read_at else "never-read"
        notify(member.user, NOTICE, conversation, context, url=url, key=f"unread-since:{burst}")


def message_send(*, user: User, conversation_id: int, body: str, upload: Any = None) -> Message:
    """Post a message (and at most one attachment) to a conversation ``user`` is in."""
    conversation, member = selectors_conversations.conversation_get_for_user(
        user=user, conversation_id=conversation_id
    )
    text, rendered = _body_checked(body)
    message = Message(conversation=conversation, author=user, body=text, body_html=rendered)
    if upload:  # a form's "clear" box gives False
        content, extension, shown, content_type = _attachment_checked(upload)
        message.attachment_name = shown
        message.attachment_type = content_type
        # stored under a random name in the model's folder; the shown name is only a label
        message.attachment.save(
            f"{secrets.token_urlsafe(18)}{extension}", ContentFile(content), save=False
        )
    try:
        with transaction.atomic():
            save_validated(message)
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_at=message.created_at
            )
            ConversationMember.objects.filter(pk=member.pk).update(last_read_at=message.created_at)
            _tell_others(conversation, message, user)
    except Exception:
        if message.attachment:
            message.attachment.storage.delete(str(message.attachment.name))
        raise
    return message


def conversation_read(*, user: User, conversation_id: int) -> None:
    """``user`` has seen the thread: their read receipt moves to now, and the notices about it
    in their inbox are read too."""
    now = timezone.now()
    updated = ConversationMember.objects.filter(conversation_id=conversation_id, user=user).update(
        last_read_at=now
    )
    if not updated:
        raise NotFound()
    prefix = notice_key(NOTICE, Conversation(pk=conversation_id))
    Notification.objects.filter(
        user=user, kind=NOTICE, key__startswith=prefix, read_at__isnull=True
    ).update(read_at=now)


# --- reports -----------------------------------------------------------------------------------


def message_report(*, user: User, message_id: int, reason: str) -> MessageReport:
    """A member reports another member's message, once; until staff resolve it, staff may read
    the conversation."""
    message = selectors_conversations.message_get_for_member(user=user, message_id=message_id)
    text = (reason or "").strip()
    if not text:
        raise invalid("reason", _("Say what is wrong with this message."))
    if len(text) > REPORT_MAX:
        raise invalid(
            "reason", _("Keep the reason under %(n)s characters.") % {"n": f"{REPORT_MAX:,}"}
        )
    if message.author_id == user.pk:
        raise forbidden(_("You cannot report your own message."))
    try:
        with transaction.atomic():
            report = MessageReport.objects.create(message=message, reporter=user, reason=text)
            Conversation.objects.filter(
                pk=message.conversation_id, reported_at__isnull=True
            ).update(reported_at=report.created_at)
            audit_record(actor=user, action="conversation.report", target=message, report=report.pk)
    except IntegrityError:
        raise DomainError(
            ErrorCode.CONFLICT, _("You have already reported this message.")
        ) from None
    return report


def report_resolve(*, user: User, report_id: int) -> MessageReport:
    """Staff close a report; the conversation is private again once no report is open."""
    if not selectors_conversations.conversation_staff(user):
        raise NotFound()
    with transaction.atomic():
        report = (
            MessageReport.objects.select_for_update()
            .select_related("message")
            .filter(pk=report_id, resolved_at__isnull=True)
            .first()
        )
        if report is None:
            raise NotFound()
        report.resolved_at = timezone.now()
        report.resolved_by = user
        report.save(update_fields=["resolved_at", "resolved_by"])
        conversation_id = report.message.conversation_id
        still_open = MessageReport.objects.filter(
            message__conversation_id=conversation_id, resolved_at__isnull=True
        ).exists()
        if not still_open:
            Conversation.objects.filter(pk=conversation_id).update(reported_at=None)
        audit_record(
            actor=user,
            action="conversation.report_resolved",
            target=report.message,
            report=report.pk,
            conversation_private=not still_open,
        )
    return report
