"""Mentorship sessions: planned by either side, logged by the contributor once they took place,
and given feedback by both."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.braingain import selectors, states
from rabta.braingain.models import MentorshipSession, SessionFeedback, SessionStatus
from rabta.braingain.services.mentorships import mentorship_locked, require_active, require_party
from rabta.core.errors import DomainError, ErrorCode, invalid
from rabta.core.notifications import notify
from rabta.core.services import audit_record, event_record, save_validated


def session_schedule(
    *,
    user: User,
    mentorship_id: int,
    starts_at: datetime,
    duration_minutes: int,
    agenda: str = "",
) -> MentorshipSession:
    if timezone.is_naive(starts_at):
        raise invalid("starts_at", _("Say which time zone the time is in."))
    now = timezone.now()
    if not now - timedelta(days=30) <= starts_at <= now + timedelta(days=366):
        raise invalid("starts_at", _("Choose a time within the next year."))
    with transaction.atomic():
        mentorship, part = mentorship_locked(user, mentorship_id)
        require_party(part)
        require_active(mentorship)
        session = MentorshipSession(
            mentorship=mentorship,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            agenda=agenda.strip(),
            created_by=user,
        )
        save_validated(session, exclude=["mentorship", "created_by"])
        audit_record(actor=user, action="session.schedule", target=session)
        other = mentorship.mentee if part == "mentor" else mentorship.mentor
        notify(
            other,
            "braingain.session",
            session,
            {"title": mentorship.ask.title},
            url=reverse("braingain:mentorship", args=[mentorship.pk]),
        )
    return session


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
    with transaction.atomic():
        session, part = selectors.session_get_for_user(user=user, session_id=session_id)
        session = MentorshipSession.objects.select_for_update().get(pk=session.pk)
        states.transition(states.SESSION, session, "cancel", part=part, actor=user)
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
