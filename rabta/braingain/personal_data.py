"""Brain Gain's part of a person's data: asks, requests, mentorships with their sessions and
meetings, consultancy, ratings, and the conversations they are in with the messages they wrote;
contribution certificates are made afresh (see ``rabta.core.personal_data``).

Deleting an account ends the person's unfinished matches first (the other side is told and the
contributor's place given back).  A match that happened stays for the other person, with the
deleted person shown as "Deleted account": the mentorship or engagement, its ask, and the
messages in its conversation (whose author is then nobody)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Q

from rabta.accounts.models import InstitutionMembership, User
from rabta.braingain.models import (
    Ask,
    AskStatus,
    Conversation,
    ConversationMember,
    Engagement,
    EngagementStatus,
    FitCheck,
    MatchingRound,
    MatchRequest,
    Mentorship,
    MentorshipStatus,
    Message,
    MessageReport,
    Milestone,
    Proposal,
    RequestStatus,
    RoundAssignment,
    RoundConstraint,
)
from rabta.braingain.presenters import certificate_pdf
from rabta.braingain.selectors import mentorship_minutes
from rabta.braingain.services.asks import ask_close
from rabta.braingain.services.consultancy import engagement_cancel
from rabta.braingain.services.mentorships import mentorship_end
from rabta.braingain.services.requests import request_respond
from rabta.core.personal_data import anonymise, archive_path, delete, record, section_register
from rabta.core.services import audit_record

ENDED = "The other person deleted their account."


def _name(person: User | None) -> str:
    return person.display_name if person is not None else "Deleted account"


def _mentorship(m: Mentorship, user: User) -> dict[str, Any]:
    mine = m.mentor_id == user.pk
    return {
        "role": "mentor" if mine else "mentee",
        "with": _name(m.mentee if mine else m.mentor),
        "ask": m.ask.title,
        **record(m, exclude=("id", "ask", "request", "mentor", "mentee")),
        "sessions": [
            {
                **record(
                    s,
                    only=(
                        "starts_at",
                        "duration_minutes",
                        "agenda",
                        "status",
                        "notes",
                        "meeting_url",
                        "created_at",
                    ),
                ),
                "my_feedback": [
                    record(f, only=("rating", "comment", "created_at"))
                    for f in s.feedback.all()
                    if f.author_id == user.pk
                ],
            }
            for s in m.sessions.all()
        ],
        "my_fit_checks": [
            record(f, only=("answer", "comment", "created_at"))
            for f in FitCheck.objects.filter(mentorship=m, author=user)
        ],
        "time_logged": [
            record(t, only=("worked_on", "minutes", "note")) for t in m.time_entries.all()
        ]
        if mine
        else [],
    }


def _engagement(e: Engagement, user: User) -> dict[str, Any]:
    client = e.client_id == user.pk
    return {
        "role": "client" if client else "consultant",
        "with": _name(e.consultant if client else e.client),
        "ask": e.ask.title,
        **record(e, exclude=("id", "ask", "proposal", "client", "consultant")),
        "milestones": [
            {
                **record(ms, exclude=("id", "engagement")),
                "deliverables": [
                    record(d, exclude=("id", "milestone")) for d in ms.deliverables.all()
                ],
                "meetings": [
                    record(
                        mt,
                        only=(
                            "starts_at",
                            "duration_minutes",
                            "agenda",
                            "meeting_url",
                            "status",
                            "created_at",
                        ),
                    )
                    for mt in ms.meetings.all()
                ],
            }
            for ms in Milestone.objects.filter(engagement=e).prefetch_related(
                "deliverables", "meetings"
            )
        ],
        "ratings": [
            {
                "given" if r.author_id == user.pk else "received": True,
                **record(r, only=("stars", "comment", "created_at")),
            }
            for r in e.ratings.all()
        ],
    }


def _conversations(user: User) -> list[dict[str, Any]]:
    """Each conversation the person is in, with the messages they wrote (the other side's
    messages are the other side's data)."""
    members = ConversationMember.objects.filter(user=user).select_related("conversation")
    return [
        {
            "subject": member.conversation.subject,
            "role": member.role,
            "joined_at": member.joined_at,
            "last_read_at": member.last_read_at,
            "messages_written": [
                {
                    **record(message, only=("body", "created_at", "attachment_name")),
                    "in_archive": archive_path("braingain", _attachment_name(message))
                    if message.attachment
                    else "",
                }
                for message in Message.objects.filter(conversation=member.conversation, author=user)
            ],
        }
        for member in members.order_by("joined_at", "pk")
    ]


def _attachment_name(message: Message) -> str:
    label = message.attachment_name or (message.attachment.name or "").rsplit("/", 1)[-1]
    return f"messages/{message.pk}-{label}"


def braingain_export(user: User) -> dict[str, Any]:
    mentorships = (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("ask", "mentor", "mentee")
        .prefetch_related("sessions__feedback", "time_entries")
    )
    engagements = (
        Engagement.objects.filter(Q(client=user) | Q(consultant=user))
        .select_related("ask", "client", "consultant")
        .prefetch_related("ratings")
    )
    return {
        "asks": [
            {
                **record(a, exclude=("owner",)),
                "requests_sent": [
                    {"to": _name(r.contributor), **record(r, only=("status", "created_at"))}
                    for r in a.requests.select_related("contributor")
                ],
                "proposals_received": [
                    {
                        "from": _name(p.contributor),
                        **record(p, only=("price_usd", "status", "created_at")),
                    }
                    for p in a.proposals.select_related("contributor")
                ],
            }
            for a in Ask.objects.filter(owner=user)
        ],
        "requests_received": [
            {"ask": r.ask.title, **record(r, exclude=("id", "ask", "contributor", "parts"))}
            for r in MatchRequest.objects.filter(contributor=user).select_related("ask")
        ],
        "round_assignments": [
            {"round": r.round.name, "ask": r.ask.title, "score": r.score, "pinned": r.pinned}
            for r in RoundAssignment.objects.filter(contributor=user).select_related("round", "ask")
        ],
        "round_constraints": [
            {"round": r.round.name, "ask": r.ask.title, "kind": r.kind}
            for r in RoundConstraint.objects.filter(contributor=user).select_related("round", "ask")
        ],
        "rounds_created": [
            record(r, only=("name", "kind", "status", "created_at"))
            for r in MatchingRound.objects.filter(created_by=user)
        ],
        "mentorships": [_mentorship(m, user) for m in mentorships],
        "proposals_sent": [
            {"ask": p.ask.title, **record(p, exclude=("id", "ask", "contributor"))}
            for p in Proposal.objects.filter(contributor=user).select_related("ask")
        ],
        "engagements": [_engagement(e, user) for e in engagements],
        "conversations": _conversations(user),
        "messages_reported": [
            record(r, only=("reason", "created_at", "resolved_at"))
            for r in MessageReport.objects.filter(reporter=user)
        ],
    }


def braingain_files(user: User) -> Iterator[tuple[str, bytes]]:
    certified = Mentorship.objects.filter(mentor=user, certificate_code__isnull=False)
    for mentorship in certified.select_related("ask", "mentor").order_by("pk"):
        yield (
            f"contribution-{mentorship.certificate_code}.pdf",
            certificate_pdf(mentorship, mentorship_minutes(mentorship)),
        )
    for message in Message.objects.filter(author=user).exclude(attachment="").order_by("pk"):
        try:
            with message.attachment.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            continue
        yield _attachment_name(message), content


def _hand_over(user: User) -> None:
    """An institution's asks, and the mentorships and engagements that came of them, belong to
    the institution: when one of its representatives leaves, another (an administrator first)
    takes them over, and nothing the institution started ends or disappears."""
    for ask in Ask.objects.filter(owner=user, institution__isnull=False):
        successor = (
            InstitutionMembership.objects.filter(institution=ask.institution, user__is_active=True)
            .exclude(user=user)
            .order_by("role", "joined_at", "pk")  # "admin" sorts before "member"
            .values_list("user_id", flat=True)
            .first()
        )
        if successor is None:
            continue
        Ask.objects.filter(pk=ask.pk).update(owner_id=successor)
        handed = Mentorship.objects.filter(ask=ask, mentee=user).update(mentee_id=successor)
        handed += Engagement.objects.filter(ask=ask, client=user).update(client_id=successor)
        for conversation_id in Conversation.objects.filter(
            Q(mentorship__ask=ask) | Q(engagement__ask=ask) | Q(request__ask=ask)
        ).values_list("pk", flat=True):
            ConversationMember.objects.get_or_create(
                conversation_id=conversation_id,
                user_id=successor,
                defaults={"role": "institution"},
            )
        audit_record(
            actor=None,
            action="braingain.ask_handed_over",
            target=ask,
            to=successor,
            matches=handed,
        )


def _matches_end(user: User, placeholder: User) -> None:
    """End what is still going on, through the services (the other side is told, places are
    given back, a mentee whose mentor left is matched again); then decide which asks and
    requests stay for the other side.  An institution's work passes to another of its
    representatives first."""
    _hand_over(user)
    for mentorship in Mentorship.objects.filter(
        Q(mentor=user) | Q(mentee=user),
        status__in=[MentorshipStatus.AGREEING, MentorshipStatus.ACTIVE],
    ):
        mentorship_end(
            user=user,
            mentorship_id=mentorship.pk,
            reason=ENDED,
            rematch=mentorship.mentor_id == user.pk,
        )
    for engagement in Engagement.objects.filter(
        Q(client=user) | Q(consultant=user),
        status__in=[EngagementStatus.CONTRACTING, EngagementStatus.ACTIVE],
    ):
        engagement_cancel(user=user, engagement_id=engagement.pk, reason=ENDED)
    for pending in MatchRequest.objects.filter(contributor=user, status=RequestStatus.PENDING):
        request_respond(user=user, request_id=pending.pk, accept=False, reason=ENDED)
    happened = Q(mentorships__isnull=False) | Q(engagement__isnull=False)
    happened |= Q(requests__conversation__isnull=False)
    kept = set(Ask.objects.filter(happened, owner=user).values_list("pk", flat=True))
    Ask.objects.filter(owner=user).exclude(pk__in=kept).delete()
    for ask in Ask.objects.filter(pk__in=kept).exclude(status=AskStatus.CLOSED):
        ask_close(user=user, ask_id=ask.pk)
    # a request is kept only with the match or conversation it led to (the placeholder is the
    # deleted person's own, so it clashes with no other request on the ask)
    MatchRequest.objects.filter(
        contributor=user, mentorship__isnull=True, conversation__isnull=True
    ).delete()
    Proposal.objects.filter(contributor=user, engagement__isnull=True).delete()
    # the person's reports go; a conversation left with no open report is private again
    reported = set(
        MessageReport.objects.filter(reporter=user).values_list(
            "message__conversation_id", flat=True
        )
    )
    MessageReport.objects.filter(reporter=user).delete()
    Conversation.objects.filter(pk__in=reported).exclude(
        Exists(
            MessageReport.objects.filter(
                message__conversation=OuterRef("pk"), resolved_at__isnull=True
            )
        )
    ).update(reported_at=None)


KEPT = "Kept for the other side of a match that happened, shown as a deleted account."

section_register(
    app="braingain",
    title="Your asks, the requests and proposals you sent or received, your mentorships with "
    "their sessions, consultancy engagements with milestones and meetings, ratings, and the "
    "conversations you are in with the messages you wrote (their attachments, and your "
    "contribution certificates, are in files/braingain/).",
    export=braingain_export,
    files=braingain_files,
    before_erase=_matches_end,
    position=50,
    rules={
        "braingain.Ask.owner": anonymise(
            KEPT + " Asks that led to no match are deleted before this rule runs."
        ),
        "braingain.MatchRequest.contributor": anonymise(
            KEPT + " Requests that led to nothing are deleted first; pending ones are declined."
        ),
        "braingain.Proposal.contributor": anonymise(
            KEPT + " Proposals that were not awarded are deleted first."
        ),
        "braingain.Mentorship.mentor": anonymise(KEPT),
        "braingain.Mentorship.mentee": anonymise(KEPT),
        "braingain.Engagement.client": anonymise(KEPT),
        "braingain.Engagement.consultant": anonymise(KEPT),
        "braingain.MentorshipSession.created_by": anonymise(KEPT),
        "braingain.MilestoneMeeting.created_by": anonymise(KEPT),
        "braingain.SessionFeedback.author": anonymise(
            "A mentor's feedback record stays; it no longer says who gave it."
        ),
        "braingain.FitCheck.author": delete(),
        "braingain.Rating.subject": delete("A rating of a person who left rates no one."),
        "braingain.Rating.author": anonymise(
            "The other side's reputation stays; it no longer says who rated them."
        ),
        "braingain.RoundConstraint.contributor": delete(),
        "braingain.RoundAssignment.contributor": delete(),
        "braingain.MatchingRound.created_by": anonymise(
            "A matching round is the programme's record of how asks were matched."
        ),
        "braingain.ConversationMember.user": delete(
            "The person leaves the conversation; the other side keeps it."
        ),
        "braingain.Message.author": anonymise(
            "The other side still reads the conversation; the messages are shown as written "
            "by a deleted account."
        ),
        "braingain.MessageReport.reporter": delete(),
        "braingain.CalendarFeed.user": delete("The calendar address dies with the account."),
        "braingain.MessageReport.resolved_by": anonymise(
            "A resolved report is the moderation record; it no longer says who resolved it."
        ),
    },
)
