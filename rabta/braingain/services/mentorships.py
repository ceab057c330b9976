"""Mentorships: the agreement both sides sign, the fit check, the hours a contributor logs, and
the end (early, or completed with a certificate of contribution).  Sessions are in
``sessions.py``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.braingain import selectors, states
from rabta.braingain.models import (
    Ask,
    AskStatus,
    FitAnswer,
    FitCheck,
    Mentorship,
    MentorshipStatus,
    SessionStatus,
    TimeEntry,
)
from rabta.braingain.services.capacity import place_release
from rabta.braingain.services.meetings import meetings_cancel_planned
from rabta.braingain.services.requests import request_advance
from rabta.core.codes import readable_code
from rabta.core.errors import DomainError, ErrorCode, invalid
from rabta.core.notifications import notify
from rabta.core.services import audit_record, event_record, save_validated

FIT_CHECK_DAYS = 21


def mentorship_locked(user: User, mentorship_id: int) -> tuple[Mentorship, str]:
    """The mentorship ``user`` may see, locked for this transaction, with their part in it."""
    mentorship, part = selectors.mentorship_get_for_user(user=user, mentorship_id=mentorship_id)
    locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    locked.ask = mentorship.ask
    locked.mentor = mentorship.mentor
    locked.mentee = mentorship.mentee
    return locked, part


def require_party(part: str) -> None:
    if part not in ("mentor", "mentee"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Only the two people in it can do this."))


def require_active(mentorship: Mentorship) -> None:
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("This can be done only while the mentorship is active."),
        )


def _tell(person: User, kind: str, mentorship: Mentorship, title: str, *, key: str = "") -> None:
    notify(
        person,
        kind,
        mentorship,
        {"title": title},
        url=reverse("braingain:mentorship", args=[mentorship.pk]),
        key=key,
    )


def mentorship_agreement_update(
    *, user: User, mentorship_id: int, goals: str, schedule: str, expectations: str
) -> Mentorship:
    with transaction.atomic():
        mentorship, part = mentorship_locked(user, mentorship_id)
        require_party(part)
        if mentorship.status != MentorshipStatus.AGREEING:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("The agreement is signed and can no longer change.")
            )
        changed = (goals, schedule, expectations) != (
            mentorship.goals,
            mentorship.schedule,
            mentorship.expectations,
        )
        mentorship.goals, mentorship.schedule, mentorship.expectations = (
            goals.strip(),
            schedule.strip(),
            expectations.strip(),
        )
        if changed:
            # both sign the same words: any change asks for both signatures again
            mentorship.mentor_signed_at = mentorship.mentee_signed_at = None
        save_validated(mentorship)
        audit_record(actor=user, action="mentorship.agreement_edit", target=mentorship)
    return mentorship


def mentorship_sign(*, user: User, mentorship_id: int) -> Mentorship:
    with transaction.atomic():
        mentorship, part = mentorship_locked(user, mentorship_id)
        require_party(part)
        if mentorship.status != MentorshipStatus.AGREEING:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("The agreement is already signed."))
        if not (mentorship.goals and mentorship.schedule and mentorship.expectations):
            raise DomainError(
                ErrorCode.VALIDATION_ERROR,
                _("Write the goals, the schedule and the expectations before signing."),
            )
        now = timezone.now()
        field = "mentor_signed_at" if part == "mentor" else "mentee_signed_at"
        if getattr(mentorship, field) is None:
            setattr(mentorship, field, now)
            mentorship.save(update_fields=[field, "updated_at"])
            audit_record(actor=user, action="mentorship.sign", target=mentorship, part=part)
        other = mentorship.mentee if part == "mentor" else mentorship.mentor
        if mentorship.mentor_signed_at and mentorship.mentee_signed_at:
            _agree(mentorship, part=part, actor=user, now=now)
            _tell(other, "braingain.agreed", mentorship, mentorship.ask.title)
        else:
            # an edit of the agreement clears both signatures: each new signature asks again
            signed = getattr(mentorship, field)
            _tell(other, "braingain.sign", mentorship, mentorship.ask.title, key=signed.isoformat())
    return mentorship


def _agree(mentorship: Mentorship, *, part: str, actor: User, now: datetime) -> None:
    """The second signature makes the agreement: the mentorship starts and the fit check is
    due three weeks later."""
    mentorship.agreed_at = now
    mentorship.fit_check_due = timezone.localdate(now) + timedelta(days=FIT_CHECK_DAYS)
    states.transition(
        states.MENTORSHIP,
        mentorship,
        "agree",
        part=part,
        actor=actor,
        fields=["agreed_at", "fit_check_due"],
    )
    event_record(
        kind="braingain.mentorship_agreed",
        actor_id=actor.pk,
        subject=mentorship,
        sector=mentorship.ask.sector,
        country=selectors.contributor_country(mentorship.mentor),
    )


def time_log(
    *, user: User, mentorship_id: int, worked_on: date, minutes: int, note: str
) -> TimeEntry:
    if worked_on > timezone.localdate() or worked_on < timezone.localdate() - timedelta(days=366):
        raise invalid("worked_on", _("Choose a day in the past year."))
    with transaction.atomic():
        mentorship, part = mentorship_locked(user, mentorship_id)
        if part != "mentor":
            raise DomainError(ErrorCode.FORBIDDEN, _("Only the contributor logs their hours."))
        require_active(mentorship)
        entry = TimeEntry(
            mentorship=mentorship, worked_on=worked_on, minutes=minutes, note=note.strip()
        )
        save_validated(entry, exclude=["mentorship"])
    return entry


def fit_check_answer(
    *, user: User, mentorship_id: int, answer: str, comment: str = ""
) -> Mentorship:
    if answer not in FitAnswer.values:
        raise invalid("answer", _("Choose one of the answers."))
    with transaction.atomic():
        mentorship, part = mentorship_locked(user, mentorship_id)
        require_party(part)
        require_active(mentorship)
        check = FitCheck(mentorship=mentorship, author=user, answer=answer, comment=comment.strip())
        try:
            with transaction.atomic():
                save_validated(check, exclude=["mentorship", "author"])
        except IntegrityError:
            raise DomainError(ErrorCode.CONFLICT, _("You have already answered.")) from None
        audit_record(actor=user, action="mentorship.fit_check", target=mentorship, answer=answer)
        if answer == FitAnswer.POOR:
            _mentorship_end(
                mentorship,
                part=part,
                actor=user,
                reason=_("Not a good fit; matched again."),
                rematch=True,
            )
    return mentorship


def _mentorship_end(
    mentorship: Mentorship, *, part: str, actor: User, reason: str, rematch: bool
) -> None:
    mentorship.finished_at = timezone.now()
    mentorship.end_reason = reason[:300]
    states.transition(
        states.MENTORSHIP,
        mentorship,
        "end",
        part=part,
        actor=actor,
        fields=["finished_at", "end_reason"],
        reason=reason,
    )
    place_release(mentorship.mentor_id)
    meetings_cancel_planned(mentorship.sessions.all(), actor=actor)
    ask = Ask.objects.select_for_update().get(pk=mentorship.ask_id)
    if rematch and ask.status == AskStatus.MATCHED:
        states.transition(states.ASK, ask, "reopen", part="system", actor=actor)
        request_advance(ask=ask, actor=None)
    for person in (mentorship.mentor, mentorship.mentee):
        if person.pk != actor.pk:
            _tell(person, "braingain.ended", mentorship, ask.title)


def mentorship_end(*, user: User, mentorship_id: int, reason: str, rematch: bool) -> Mentorship:
    if not reason.strip() or len(reason) > 300:
        raise invalid("reason", _("Give a short reason (up to 300 characters)."))
    with transaction.atomic():
        mentorship, part = mentorship_locked(user, mentorship_id)
        if mentorship.status not in (MentorshipStatus.AGREEING, MentorshipStatus.ACTIVE):
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This has already finished."))
        _mentorship_end(mentorship, part=part, actor=user, reason=reason.strip(), rematch=rematch)
    return mentorship


def mentorship_complete(*, user: User, mentorship_id: int) -> Mentorship:
    """Both sides may complete once a session took place; the contributor's certificate of
    contribution gets its code and the hours given are counted."""
    with transaction.atomic():
        mentorship, part = mentorship_locked(user, mentorship_id)
        require_party(part)
        if (
            mentorship.status == MentorshipStatus.ACTIVE
            and not mentorship.sessions.filter(status=SessionStatus.HELD).exists()
        ):
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                _("Log at least one session that took place before completing."),
            )
        mentorship.finished_at = timezone.now()
        mentorship.certificate_code = readable_code()
        states.transition(
            states.MENTORSHIP,
            mentorship,
            "complete",
            part=part,
            actor=user,
            fields=["finished_at", "certificate_code"],
        )
        place_release(mentorship.mentor_id)
        meetings_cancel_planned(mentorship.sessions.all(), actor=user)
        ask = Ask.objects.select_for_update().get(pk=mentorship.ask_id)
        if ask.status == AskStatus.MATCHED:
            states.transition(states.ASK, ask, "close", part="system", actor=user)
        minutes = selectors.mentorship_minutes(mentorship)
        event_record(
            kind="braingain.mentorship_completed",
            actor_id=user.pk,
            subject=mentorship,
            sector=ask.sector,
            country=selectors.contributor_country(mentorship.mentor),
            value=round(minutes / 60, 2),  # hours given
        )
        audit_record(
            actor=user, action="mentorship.certificate", target=mentorship, minutes=minutes
        )
        other = mentorship.mentee if part == "mentor" else mentorship.mentor
        _tell(other, "braingain.completed", mentorship, ask.title)
    return mentorship
