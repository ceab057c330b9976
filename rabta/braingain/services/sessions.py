"""Mentorship sessions: planned, moved or cancelled by either side (each time both get the
calendar invite, see ``meetings``), logged by the contributor once they took place, and given
feedback by both."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.braingain import selectors, states
from rabta.braingain.models import MentorshipSession, SessionFeedback, SessionStatus
from rabta.braingain.services.meetings import (
    INVITE,
    invites_send,
    meeting_cancel,
    meeting_link_check,
    meeting_move,
    meeting_time_check,
)
from rabta.braingain.services.mentorships import mentorship_locked, require_active, require_party
from rabta.core.errors import DomainError, ErrorCode, invalid
from rabta.core.services import audit_record, event_record, save_validated


def session_schedule(
    *,
    user: User,
    mentorship_id: int,
    starts_at: datetime,
    duration_minutes: int,
    agenda: str = "",
    meeting_url: str = "",
) -> MentorshipSession:
    """Plan a session; both people get the invite (a calendar file) by email."""
    meeting_time_check(starts_at)
    link = meeting_link_check(meeting_url)
    with transaction.atomic():
        mentorship, part = mentorship_locked(user, mentorship_id)
        require_party(part)
        require_active(mentorship)
        session = MentorshipSession(
            mentorship=mentorship,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            agenda=agenda.strip(),
            meeting_url=link.url,
            created_by=user,
        )
        save_validated(session, exclude=["mentorship", "created_by"])
        audit_record(actor=user, action="session.schedule", target=session)
        invites_send(session, INVITE)
    return session


def session_reschedule(
    *,
    user: User,
    session_id: int,
    starts_at: datetime,
    duration_minutes: int,
    meeting_url: str,
    agenda: str | None = None,
) -> MentorshipSession:
    """Move a planned session (or change its link): the invite's SEQUENCE goes up, the day-
    before reminder is due again, and both people get the updated invite."""
    meeting_time_check(starts_at)
    link = meeting_link_check(meeting_url)
    with transaction.atomic():
        session, part = _session_locked(user, session_id)
        require_active(session.mentorship)
        meeting_move(
            session,
            part=part,
            actor=user,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            meeting_url=link.url,
            agenda=agenda,
            exclude=["mentorship", "created_by"],
        )
    return session


def _session_locked(user: User, session_id: int) -> tuple[MentorshipSession, str]:
    """The session ``user`` may see, locked, with its mentorship and their part."""
    session, part = selectors.session_get_for_user(user=user, session_id=session_id)
    locked = MentorshipSession.objects.select_for_update().get(pk=session.pk)
    locked.mentorship = session.mentorship
    return locked, part


def session_hold(*, user: User, session_id: int, notes: str) -> MentorshipSession:
    if len(notes) > 4000:
        raise invalid("notes", _("Keep the notes under 4,000 characters."))
    with transaction.atomic():
        session, part = selectors.session_get_for_user(user=user, session_id=session_id)
        session = MentorshipSession.objects.select_for_update().get(pk=session.pk)
        if session.starts_at > timezone.now():
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("A session can be logged once it has started.")
            )
        require_active(session.mentorship)
        session.notes = notes.strip()
        states.transition(states.SESSION, session, "hold", part=part, actor=user, fields=["notes"])
        event_record(
            kind="braingain.session_held",
            actor_id=user.pk,
            subject=session,
            country=selectors.contributor_country(user),
        )
    return session


def session_cancel(*, user: User, session_id: int) -> MentorshipSession:
    """Cancel a planned session: both people get the cancellation for their calendars."""
    with transaction.atomic():
        session, part = _session_locked(user, session_id)
        meeting_cancel(session, part=part, actor=user)
    return session


def feedback_leave(*, user: User, session_id: int, rating: int, comment: str) -> SessionFeedback:
    session, part = selectors.session_get_for_user(user=user, session_id=session_id)
    require_party(part)
    if session.status != SessionStatus.HELD:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Feedback is for sessions that took place.")
        )
    feedback = SessionFeedback(session=session, author=user, rating=rating, comment=comment.strip())
    try:
        with transaction.atomic():
            save_validated(feedback, exclude=["session", "author"])
    except IntegrityError:
        raise DomainError(
            ErrorCode.CONFLICT, _("You have already given feedback on this session.")
        ) from None
    return feedback
