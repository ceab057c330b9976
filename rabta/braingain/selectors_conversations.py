"""Reads for conversations between matched people, each scoped to the person asking (kept
apart from ``selectors.py``, which would pass ~600 lines with them).

Members read their own conversations; nobody else learns that one exists (a 404, the same as
for an id that was never used).  Programme staff read a conversation only while a report on it
is open, and every such read is audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from rabta.accounts.models import User
from rabta.braingain.models import Conversation, ConversationMember, Message, MessageReport
from rabta.braingain.selectors import is_staff
from rabta.core.errors import NotFound
from rabta.core.services import audit_record

MESSAGES_PAGE = 50


def _unread(user: User, messages: str = "conversation__messages__") -> Q:
    """Messages after the member's read receipt that someone else wrote (from a membership
    row, through ``messages``)."""
    after = Q(last_read_at__isnull=True) | Q(**{f"{messages}created_at__gt": F("last_read_at")})
    return after & Q(**{f"{messages}pk__isnull": False}) & ~Q(**{f"{messages}author": user})


def conversation_list(*, user: User, limit: int = 100) -> list[ConversationMember]:
    """The conversations ``user`` is in, latest first, as their membership rows with the
    conversation, ``unread`` (messages from the others since their read receipt) and
    ``others`` (the other members): two queries, however many there are."""
    rows: list[ConversationMember] = list(
        ConversationMember.objects.filter(user=user)
        .select_related("conversation")
        .annotate(unread=Count("conversation__messages", filter=_unread(user)))
        .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id")[
            :limit
        ]
    )
    others: dict[int, list[User]] = {}
    for member in (
        ConversationMember.objects.filter(conversation_id__in=[r.conversation_id for r in rows])
        .exclude(user=user)
        .select_related("user")
        .order_by("pk")
    ):
        others.setdefault(member.conversation_id, []).append(member.user)
    for row in rows:
        row.others = others.get(row.conversation_id, [])  # type: ignore[attr-defined]
    return rows


def conversation_unread_count(*, user: User) -> int:
    """How many of ``user``'s conversations have a message they have not read: one query."""
    from_others = Message.objects.filter(conversation_id=OuterRef("conversation_id")).exclude(
        author_id=user.pk
    )
    newer = from_others.filter(created_at__gt=OuterRef("last_read_at"))
    return (
        ConversationMember.objects.filter(user_id=user.pk)
        .filter((Q(last_read_at__isnull=True) & Q(Exists(from_others))) | Q(Exists(newer)))
        .count()
    )


def conversation_get_for_user(
    *, user: User, conversation_id: int
) -> tuple[Conversation, ConversationMember]:
    """A conversation ``user`` is a member of, with their membership; a 404 for anyone else
    (staff included: they read reported conversations through ``conversation_get_for_staff``)."""
    member = (
        ConversationMember.objects.select_related("conversation")
        .filter(conversation_id=conversation_id, user_id=user.pk)
        .first()
    )
    if member is None:
        raise NotFound()
    return member.conversation, member


def conversation_staff(user: User) -> bool:
    """Programme staff, signed in with their second factor."""
    return is_staff(user) and bool(getattr(user, "is_verified", lambda: False)())


def _open_reports() -> QuerySet[MessageReport]:
    return MessageReport.objects.filter(
        message__conversation=OuterRef("pk"), resolved_at__isnull=True
    )


def _reported_for_staff(user: User, conversation_id: int) -> Conversation:
    # an open report row, not only the flag: a report that went (its reporter deleted their
    # account) opens nothing
    found = (
        Conversation.objects.filter(pk=conversation_id, reported_at__isnull=False)
        .filter(Exists(_open_reports()))
        .first()
    )
    if found is None or not conversation_staff(user):
        raise NotFound()
    return found


def conversation_get_for_staff(*, user: User, conversation_id: int) -> Conversation:
    """A conversation with an open report, for staff; the read is audited.  Anything else
    (not staff, nothing reported, reports resolved) is a 404."""
    conversation = _reported_for_staff(user, conversation_id)
    audit_record(actor=user, action="conversation.staff_viewed", target=conversation)
    return conversation


def conversations_reported(*, user: User, limit: int = 100) -> list[Conversation]:
    """Conversations with an open report, oldest report first, with ``open_reports``."""
    if not conversation_staff(user):
        raise NotFound()
    return list(
        Conversation.objects.filter(reported_at__isnull=False)
        .filter(Exists(_open_reports()))
        .annotate(
            open_reports=Count(
                "messages__reports", filter=Q(messages__reports__resolved_at__isnull=True)
            )
        )
        .order_by("reported_at", "pk")[:limit]
    )


def conversation_reports(conversation: Conversation) -> list[MessageReport]:
    """The open reports of a conversation (call with one from ``conversation_get_for_staff``)."""
    return list(
        MessageReport.objects.filter(
            message__conversation=conversation, resolved_at__isnull=True
        ).select_related("reporter", "message")
    )


@dataclass
class MessagePage:
    messages: list[Message]  # oldest first, each with ``seen`` (by every other member)
    members: list[ConversationMember]
    earlier: int | None  # the cursor of the "earlier messages" link, if there are any
    last_id: int  # the newest message shown (where polling for new ones starts)


def _seen(message: Message, members: list[ConversationMember]) -> bool:
    others = [m.last_read_at for m in members if m.user_id != message.author_id]
    start = message.created_at
    return bool(others) and all(read is not None and read >= start for read in others)


def conversation_messages(
    conversation: Conversation,
    *,
    before: int | None = None,
    after: int | None = None,
    limit: int = MESSAGES_PAGE,
) -> MessagePage:
    """A page of a conversation ``user`` may read: the latest ``limit`` messages (before the
    ``before`` cursor), or those after ``after`` (polling).  Two queries, whatever the length."""
    members = list(conversation.members.select_related("user").order_by("pk"))
    found = conversation.messages.select_related("author")
    earlier = None
    if after is not None:
        messages = list(found.filter(pk__gt=after).order_by("pk")[:limit])
    else:
        if before is not None:
            found = found.filter(pk__lt=before)
        messages = list(found.order_by("-pk")[: limit + 1])
        if len(messages) > limit:
            messages = messages[:limit]
            earlier = messages[-1].pk
        messages.reverse()
    for message in messages:
        message.seen = _seen(message, members)  # type: ignore[attr-defined]
    last_id = messages[-1].pk if messages else (after or 0)
    return MessagePage(messages=messages, members=members, earlier=earlier, last_id=last_id)


def message_get_for_member(*, user: User, message_id: int) -> Message:
    """A message in a conversation ``user`` is in (to report it); a 404 otherwise."""
    message = (
        Message.objects.select_related("author", "conversation")
        .filter(pk=message_id, conversation__members__user_id=user.pk)
        .first()
    )
    if message is None:
        raise NotFound()
    return message


def message_get_for_reader(*, user: User, conversation_id: int, message_id: int) -> Message:
    """A message (for its attachment) that ``user`` may read: a member's, or staff's while the
    conversation is reported (audited)."""
    message = Message.objects.filter(pk=message_id, conversation_id=conversation_id).first()
    if message is None:
        raise NotFound()
    if ConversationMember.objects.filter(conversation_id=conversation_id, user_id=user.pk).exists():
        return message
    message.conversation = _reported_for_staff(user, conversation_id)
    audit_record(actor=user, action="conversation.staff_file", target=message)
    return message
