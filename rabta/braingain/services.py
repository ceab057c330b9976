"""Writes for the Brain Gain portal.

Protection of contributors' time is built in here, not in the pages:

* a seeker has at most ``MAX_PENDING`` requests waiting at a time, and an ask one;
* a contributor answers within ``RESPONSE_DAYS``; a reminder goes a day before, and a request
  left unanswered (or declined) moves on to the next suggestion by itself;
* a place is taken with ``rabta.core.locking`` when a contributor accepts (or is awarded a
  project) and given back when the work ends, so nobody exceeds their capacity even when two
  acceptances race;
* every status change goes through ``states.transition``, which checks the actor's part and
  writes the audit log.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import ContributorProfile, InstitutionMembership, User
from rabta.accounts.reference import ContributionType
from rabta.braingain import selectors, states
from rabta.braingain.models import (
    Ask,
    AskStatus,
    Deliverable,
    Engagement,
    EngagementStatus,
    FitAnswer,
    FitCheck,
    MatchingRound,
    MatchRequest,
    Mentorship,
    MentorshipSession,
    MentorshipStatus,
    Milestone,
    MilestoneStatus,
    Proposal,
    ProposalStatus,
    Rating,
    RequestSource,
    RequestStatus,
    RoundAssignment,
    RoundConstraint,
    SessionFeedback,
    SessionStatus,
    TimeEntry,
)
from rabta.core.codes import readable_code
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.locking import capacity_claim, capacity_release
from rabta.core.notifications import notify
from rabta.core.services import audit_record, event_record, save_validated
from rabta.engine import matching
from rabta.engine.matching import ContributorPool, RoundError, RoundInput, Suggestion
from rabta.engine.taxonomy import taxonomy

MAX_PENDING = 3
RESPONSE_DAYS = 5
REMIND_BEFORE = timedelta(hours=24)
FIT_CHECK_DAYS = 21
ROUND_CANDIDATES = 50
POOL_SECONDS = 600
ASK_FIELDS = (
    "kind",
    "title",
    "goal",
    "sector",
    "skills",
    "duration_weeks",
    "hours_per_month",
    "language",
    "mode",
    "city",
    "deadline",
    "budget_usd",
)


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, message, fields={field: [message]})


_save_validated = save_validated


def _notify(
    user: User,
    kind: str,
    obj: models.Model,
    *,
    page: tuple[str, int],
    title: str,
    key: str = "",
) -> None:
    """Tell ``user`` about ``obj`` (one notice per kind, object and ``key``), linking to
    ``page`` (a URL name and an id)."""
    notify(user, kind, obj, {"title": title}, url=reverse(page[0], args=[page[1]]), key=key)


# --- the contributor pool -----------------------------------------------------------------------
# Suggestions read every contributor's facts.  The snapshot is cached under a version number that
# a change to any contributor profile bumps (see signals.py), and a process keeps the snapshot of
# the current version to skip unpickling it.  Loads change with every request, so the snapshot
# only proposes candidates: the ones shown are re-read and re-scored from the database.

_POOL_VERSION_KEY = "braingain:pool-version"
_memo: dict[str, Any] = {}


def _pool_bump() -> None:
    try:
        cache.incr(_POOL_VERSION_KEY)
    except ValueError:
        cache.set(_POOL_VERSION_KEY, secrets.randbits(62), None)


def pool_invalidate() -> None:
    """Bump now (this transaction's own reads see the change) and again after commit (a
    snapshot another process built from the pre-commit data in between is not reused)."""
    _pool_bump()
    transaction.on_commit(_pool_bump)


def contributor_pool() -> ContributorPool:
    version = cache.get(_POOL_VERSION_KEY)
    if version is None:
        # random, so a cleared cache never brings back an old snapshot's key
        version = secrets.randbits(62)
        cache.add(_POOL_VERSION_KEY, version, None)
        version = cache.get(_POOL_VERSION_KEY, version)
    key = f"braingain:pool:{version}"
    memo = _memo.get("pool")
    if memo is not None and memo[0] == key and memo[1] > time.monotonic():
        return memo[2]
    pool = cache.get(key)
    if pool is None:
        pool = ContributorPool(selectors.contributor_facts())
        cache.set(key, pool, POOL_SECONDS)
    _memo["pool"] = (key, time.monotonic() + POOL_SECONDS, pool)
    return pool


CANDIDATE_FACTOR = 4


def suggestions(*, ask: Ask, limit: int = 5) -> list[Suggestion]:
    """The best ``limit`` contributors for ``ask`` with their reasons.  Candidates come from the
    cached pool; each is then checked and scored on its current facts (places, pause, pending
    requests), so nobody full or paused is shown whatever the age of the snapshot."""
    facts = selectors.ask_facts(ask)
    candidates = contributor_pool().rank(
        facts, limit=limit * CANDIDATE_FACTOR, exclude=selectors.asked_contributors(ask)
    )
    current = selectors.contributor_facts(user_ids=[c.contributor_id for c in candidates])
    scored = [matching.score_one(facts, c) for c in current if matching.eligible(facts, c)]
    scored.sort(key=lambda s: (-s.score, s.contributor_id))
    return scored[:limit]


# --- asks ----------------------------------------------------------------------------------------


def _clean_ask(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(ASK_FIELDS) - {"institution_id"}
    if unknown:
        raise _invalid(sorted(unknown)[0], _("This field cannot be set."))
    cleaned = dict(data)
    skills = cleaned.get("skills") or []
    if not isinstance(skills, list) or len(skills) > 10:
        raise _invalid("skills", _("Choose at most 10 skills."))
    known = taxonomy()
    checked = []
    for skill in skills:
        try:
            known.skill(str(skill))
        except KeyError:
            raise _invalid("skills", _("Choose skills from the list.")) from None
        if skill not in checked:
            checked.append(str(skill))
    cleaned["skills"] = checked
    deadline = cleaned.get("deadline")
    today = timezone.localdate()
    if isinstance(deadline, date) and not today < deadline <= today + timedelta(days=366):
        raise _invalid("deadline", _("Choose a date within the next year."))
    if cleaned.get("kind") == ContributionType.CONSULTANCY and not cleaned.get("budget_usd"):
        raise _invalid("budget_usd", _("A consultancy project needs a budget."))
    if cleaned.get("kind") != ContributionType.CONSULTANCY:
        cleaned["budget_usd"] = None
    if cleaned.get("mode") == "in_person" and not str(cleaned.get("city", "")).strip():
        raise _invalid("city", _("Say in which city the work happens."))
    return cleaned


def ask_post(*, user: User, data: Mapping[str, Any]) -> Ask:
    cleaned = _clean_ask(data)
    institution_id = cleaned.pop("institution_id", None)
    if (
        institution_id
        and not InstitutionMembership.objects.filter(
            user=user, institution_id=institution_id
        ).exists()
    ):
        raise _invalid("institution_id", _("You can post only for your own institution."))
    if not institution_id and not hasattr(user, "engineer_profile"):
        raise _invalid(
            "institution_id",
            _("Post for your institution, or complete your engineer profile first."),
        )
    ask = Ask(owner=user, institution_id=institution_id or None, **cleaned)
    with transaction.atomic():
        _save_validated(ask)
        audit_record(actor=user, action="ask.post", target=ask, kind=ask.kind)
        event_record(
            kind="braingain.ask_posted",
            actor_id=user.pk,
            subject=ask,
            sector=ask.sector,
            province=ask.institution.province if ask.institution else _engineer_province(user),
        )
    return ask


def _engineer_province(user: User) -> str:
    profile = getattr(user, "engineer_profile", None)
    return profile.province if profile is not None else ""


def ask_close(*, user: User, ask_id: int) -> Ask:
    with transaction.atomic():
        ask, part = selectors.ask_get_for_user(user=user, ask_id=ask_id)
        ask = Ask.objects.select_for_update().get(pk=ask.pk)
        states.transition(states.ASK, ask, "close", part=part, actor=user)
        ask.closed_at = timezone.now()
        ask.save(update_fields=["closed_at"])
        for pending in ask.requests.filter(status=RequestStatus.PENDING):
            states.transition(states.REQUEST, pending, "withdraw", part=part, actor=user)
        for proposal in ask.proposals.filter(status=ProposalStatus.SUBMITTED):
            states.transition(states.PROPOSAL, proposal, "pass_over", part="system", actor=user)
    return ask


# --- requests ----------------------------------------------------------------------------------


def _lock_user(user_id: int) -> None:
    # serialises one seeker's request sending, so the pending limit holds under double clicks
    User.objects.select_for_update().filter(pk=user_id).exists()


def request_send(
    *,
    user: User,
    ask_id: int,
    contributor_id: int,
    message: str = "",
    source: str = RequestSource.SUGGESTION,
) -> MatchRequest:
    if len(message) > 1000:
        raise _invalid("message", _("Keep the message under 1,000 characters."))
    with transaction.atomic():
        ask, part = selectors.ask_get_for_user(user=user, ask_id=ask_id)
        if part != "seeker":
            raise NotFound()
        _lock_user(ask.owner_id)
        ask = Ask.objects.select_for_update().get(pk=ask.pk)
        return _request_create(
            ask=ask,
            contributor_id=contributor_id,
            message=message,
            source=source,
            actor=user,
            enforce_limit=True,
        )


def _request_create(
    *,
    ask: Ask,
    contributor_id: int,
    message: str,
    source: str,
    actor: User | None,
    enforce_limit: bool,
) -> MatchRequest:
    if ask.status != AskStatus.OPEN:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This ask is no longer open."))
    if ask.is_project:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Consultancy projects receive proposals; they do not send requests."),
        )
    if ask.requests.filter(status=RequestStatus.PENDING).exists():
        raise DomainError(
            ErrorCode.CONFLICT,
            _("This ask is already waiting for an answer; the next request goes when it ends."),
        )
    if enforce_limit and selectors.pending_count(user=ask.owner) >= MAX_PENDING:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("You have %(n)d requests waiting for an answer; wait for one before asking again.")
            % {"n": MAX_PENDING},
        )
    if ask.requests.filter(contributor_id=contributor_id).exists():
        raise DomainError(ErrorCode.CONFLICT, _("You have already asked this person."))
    found = selectors.contributor_facts(user_ids=[contributor_id])
    contributor = found[0] if found else None
    ask_facts = selectors.ask_facts(ask)
    if contributor is None or not matching.eligible(ask_facts, contributor):
        raise DomainError(
            ErrorCode.NOT_ELIGIBLE,
            _("This person cannot take this request now (paused, full, or not offering it)."),
        )
    scored = matching.score_one(ask_facts, contributor)
    request = MatchRequest(
        ask=ask,
        contributor_id=contributor_id,
        source=source,
        score=scored.score,
        parts=scored.parts,
        matched_skills=list(scored.matched_skills),
        message=message.strip(),
        respond_by=timezone.now() + timedelta(days=RESPONSE_DAYS),
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise DomainError(ErrorCode.CONFLICT, _("This request was already sent.")) from None
    audit_record(actor=actor, action="request.send", target=request, source=source)
    recipient = User.objects.get(pk=contributor_id)
    _notify(
        recipient,
        "braingain.request",
        request,
        page=("braingain:request", request.pk),
        title=ask.title,
    )
    return request


def _contributor_profile_id(user_id: int) -> int:
    profile_id = (
        ContributorProfile.objects.filter(user_id=user_id).values_list("pk", flat=True).first()
    )
    if profile_id is None:
        raise DomainError(ErrorCode.PROFILE_MISSING, _("Complete your contributor profile first."))
    return profile_id


def request_respond(*, user: User, request_id: int, accept: bool, reason: str = "") -> MatchRequest:
    if len(reason) > 300:
        raise _invalid("reason", _("Keep the reason under 300 characters."))
    with transaction.atomic():
        request, part = selectors.request_get_for_user(user=user, request_id=request_id)
        request = MatchRequest.objects.select_for_update().get(pk=request.pk)
        if part != "contributor":
            raise DomainError(ErrorCode.FORBIDDEN, _("Only the person asked can answer."))
        ask = Ask.objects.select_for_update().get(pk=request.ask_id)
        if not accept:
            states.transition(states.REQUEST, request, "decline", part=part, actor=user)
            request.responded_at = timezone.now()
            request.decline_reason = reason.strip()
            request.save(update_fields=["responded_at", "decline_reason"])
            _notify(
                ask.owner,
                "braingain.declined",
                request,
                page=("braingain:ask", ask.pk),
                title=ask.title,
            )
            request_advance(ask=ask, actor=None)
            return request
        if request.status == RequestStatus.PENDING and request.respond_by < timezone.now():
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("The time to answer has passed."))
        states.transition(states.REQUEST, request, "accept", part=part, actor=user)
        capacity_claim(
            ContributorProfile,
            _contributor_profile_id(user.pk),
            used="active_count",
            cap="capacity",
        )
        request.responded_at = timezone.now()
        request.save(update_fields=["responded_at"])
        states.transition(states.ASK, ask, "match", part="contributor", actor=user)
        ask.matched_at = timezone.now()
        ask.save(update_fields=["matched_at"])
        mentorship = Mentorship.objects.create(
            ask=ask,
            request=request,
            mentor=user,
            mentee=ask.owner,
            kind=ask.kind,
            goals=ask.goal,
        )
        event_record(
            kind="braingain.matched",
            actor_id=user.pk,
            subject=mentorship,
            sector=ask.sector,
            country=_country(user),
            # the contributor's response time, in hours
            value=round((request.responded_at - request.created_at).total_seconds() / 3600, 2),
        )
        _notify(
            ask.owner,
            "braingain.accepted",
            mentorship,
            page=("braingain:mentorship", mentorship.pk),
            title=ask.title,
        )
    return request


def _country(user: User) -> str:
    profile = ContributorProfile.objects.filter(user=user).only("country").first()
    return str(profile.country) if profile is not None else ""


def request_withdraw(*, user: User, request_id: int) -> MatchRequest:
    with transaction.atomic():
        request, part = selectors.request_get_for_user(user=user, request_id=request_id)
        request = MatchRequest.objects.select_for_update().get(pk=request.pk)
        states.transition(states.REQUEST, request, "withdraw", part=part, actor=user)
    return request


def request_advance(*, ask: Ask, actor: User | None) -> MatchRequest | None:
    """Send the ask to the best contributor not yet asked, if it is still open and waiting for
    nobody.  Tells the seeker when there is nobody left to ask."""
    if ask.status != AskStatus.OPEN or ask.is_project:
        return None
    if ask.requests.filter(status=RequestStatus.PENDING).exists():
        return None
    if selectors.pending_count(user=ask.owner) >= MAX_PENDING:
        return None
    # fresh facts rather than the cached pool: this runs right after a change
    pool = ContributorPool(selectors.contributor_facts())
    for suggestion in pool.rank(
        selectors.ask_facts(ask), limit=3, exclude=selectors.asked_contributors(ask)
    ):
        try:
            return _request_create(
                ask=ask,
                contributor_id=suggestion.contributor_id,
                message="",
                source=RequestSource.NEXT,
                actor=actor,
                enforce_limit=True,
            )
        except DomainError:
            continue
    _notify(
        ask.owner,
        "braingain.no_one_left",
        ask,
        key=str(ask.requests.count()),
        page=("braingain:ask", ask.pk),
        title=ask.title,
    )
    return None


def requests_expire(*, now: datetime | None = None) -> tuple[int, int]:
    """Expire requests past their deadline (moving each ask on) and remind contributors a day
    before.  Idempotent: each request is expired once and reminded once."""
    now = now or timezone.now()
    expired = 0
    due = list(
        MatchRequest.objects.filter(status=RequestStatus.PENDING, respond_by__lt=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for request_id in due:
        with transaction.atomic():
            request = (
                MatchRequest.objects.select_for_update()
                .filter(pk=request_id, status=RequestStatus.PENDING)
                .first()
            )
            if request is None:
                continue
            states.transition(states.REQUEST, request, "expire", part="system", actor=None)
            ask = Ask.objects.select_for_update().get(pk=request.ask_id)
            request_advance(ask=ask, actor=None)
            expired += 1
    reminded = 0
    for request in MatchRequest.objects.filter(
        status=RequestStatus.PENDING,
        reminded_at__isnull=True,
        respond_by__gte=now,
        respond_by__lte=now + REMIND_BEFORE,
    ).select_related("ask", "contributor"):
        with transaction.atomic():
            if (
                MatchRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                )
                != 1
            ):
                continue
            _notify(
                request.contributor,
                "braingain.reminder",
                request,
                page=("braingain:request", request.pk),
                title=request.ask.title,
            )
            reminded += 1
    return expired, reminded


# --- mentorships --------------------------------------------------------------------------------


def _mentorship_locked(user: User, mentorship_id: int) -> tuple[Mentorship, str]:
    mentorship, part = selectors.mentorship_get_for_user(user=user, mentorship_id=mentorship_id)
    locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    locked.ask = mentorship.ask
    locked.mentor = mentorship.mentor
    locked.mentee = mentorship.mentee
    return locked, part


def _require_party(part: str) -> None:
    if part not in ("mentor", "mentee"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Only the two people in it can do this."))


def mentorship_agreement_update(
    *, user: User, mentorship_id: int, goals: str, schedule: str, expectations: str
) -> Mentorship:
    with transaction.atomic():
        mentorship, part = _mentorship_locked(user, mentorship_id)
        _require_party(part)
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
        _save_validated(mentorship)
        audit_record(actor=user, action="mentorship.agreement_edit", target=mentorship)
    return mentorship


def mentorship_sign(*, user: User, mentorship_id: int) -> Mentorship:
    with transaction.atomic():
        mentorship, part = _mentorship_locked(user, mentorship_id)
        _require_party(part)
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
            states.transition(states.MENTORSHIP, mentorship, "agree", part=part, actor=user)
            mentorship.agreed_at = now
            mentorship.fit_check_due = timezone.localdate(now) + timedelta(days=FIT_CHECK_DAYS)
            mentorship.save(update_fields=["agreed_at", "fit_check_due"])
            event_record(
                kind="braingain.mentorship_agreed",
                actor_id=user.pk,
                subject=mentorship,
                sector=mentorship.ask.sector,
                country=_country(mentorship.mentor),
            )
            _notify(
                other,
                "braingain.agreed",
                mentorship,
                page=("braingain:mentorship", mentorship.pk),
                title=mentorship.ask.title,
            )
        else:
            _notify(
                other,
                "braingain.sign",
                mentorship,
                page=("braingain:mentorship", mentorship.pk),
                title=mentorship.ask.title,
            )
    return mentorship


def _require_active(mentorship: Mentorship) -> None:
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("This can be done only while the mentorship is active."),
        )


def session_schedule(
    *,
    user: User,
    mentorship_id: int,
    starts_at: datetime,
    duration_minutes: int,
    agenda: str = "",
) -> MentorshipSession:
    if timezone.is_naive(starts_at):
        raise _invalid("starts_at", _("Say which time zone the time is in."))
    now = timezone.now()
    if not now - timedelta(days=30) <= starts_at <= now + timedelta(days=366):
        raise _invalid("starts_at", _("Choose a time within the next year."))
    with transaction.atomic():
        mentorship, part = _mentorship_locked(user, mentorship_id)
        _require_party(part)
        _require_active(mentorship)
        session = MentorshipSession(
            mentorship=mentorship,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            agenda=agenda.strip(),
            created_by=user,
        )
        _save_validated(session, exclude=["mentorship", "created_by"])
        audit_record(actor=user, action="session.schedule", target=session)
        other = mentorship.mentee if part == "mentor" else mentorship.mentor
        _notify(
            other,
            "braingain.session",
            session,
            page=("braingain:mentorship", mentorship.pk),
            title=mentorship.ask.title,
        )
    return session


def session_hold(*, user: User, session_id: int, notes: str) -> MentorshipSession:
    if len(notes) > 4000:
        raise _invalid("notes", _("Keep the notes under 4,000 characters."))
    with transaction.atomic():
        session, part = selectors.session_get_for_user(user=user, session_id=session_id)
        session = MentorshipSession.objects.select_for_update().get(pk=session.pk)
        if session.starts_at > timezone.now():
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("A session can be logged once it has started.")
            )
        if session.mentorship.status != MentorshipStatus.ACTIVE:
            _require_active(session.mentorship)
        states.transition(states.SESSION, session, "hold", part=part, actor=user)
        session.notes = notes.strip()
        session.save(update_fields=["notes"])
        event_record(
            kind="braingain.session_held",
            actor_id=user.pk,
            subject=session,
            country=_country(user),
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
    _require_party(part)
    if session.status != SessionStatus.HELD:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Feedback is for sessions that took place.")
        )
    feedback = SessionFeedback(session=session, author=user, rating=rating, comment=comment.strip())
    try:
        with transaction.atomic():
            _save_validated(feedback, exclude=["session", "author"])
    except IntegrityError:
        raise DomainError(
            ErrorCode.CONFLICT, _("You have already given feedback on this session.")
        ) from None
    return feedback


def time_log(
    *, user: User, mentorship_id: int, worked_on: date, minutes: int, note: str
) -> TimeEntry:
    if worked_on > timezone.localdate() or worked_on < timezone.localdate() - timedelta(days=366):
        raise _invalid("worked_on", _("Choose a day in the past year."))
    with transaction.atomic():
        mentorship, part = _mentorship_locked(user, mentorship_id)
        if part != "mentor":
            raise DomainError(ErrorCode.FORBIDDEN, _("Only the contributor logs their hours."))
        _require_active(mentorship)
        entry = TimeEntry(
            mentorship=mentorship, worked_on=worked_on, minutes=minutes, note=note.strip()
        )
        _save_validated(entry, exclude=["mentorship"])
    return entry


def _release_place(mentor_id: int) -> None:
    capacity_release(ContributorProfile, _contributor_profile_id(mentor_id), used="active_count")


def fit_check_answer(
    *, user: User, mentorship_id: int, answer: str, comment: str = ""
) -> Mentorship:
    if answer not in FitAnswer.values:
        raise _invalid("answer", _("Choose one of the answers."))
    with transaction.atomic():
        mentorship, part = _mentorship_locked(user, mentorship_id)
        _require_party(part)
        _require_active(mentorship)
        check = FitCheck(mentorship=mentorship, author=user, answer=answer, comment=comment.strip())
        try:
            with transaction.atomic():
                _save_validated(check, exclude=["mentorship", "author"])
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
    states.transition(states.MENTORSHIP, mentorship, "end", part=part, actor=actor, reason=reason)
    mentorship.finished_at = timezone.now()
    mentorship.end_reason = reason[:300]
    mentorship.save(update_fields=["finished_at", "end_reason"])
    _release_place(mentorship.mentor_id)
    for session in mentorship.sessions.filter(status=SessionStatus.PLANNED):
        states.transition(states.SESSION, session, "cancel", part="mentor", actor=actor)
    ask = Ask.objects.select_for_update().get(pk=mentorship.ask_id)
    if rematch and ask.status == AskStatus.MATCHED:
        states.transition(states.ASK, ask, "reopen", part="system", actor=actor)
        request_advance(ask=ask, actor=None)
    for person in (mentorship.mentor, mentorship.mentee):
        if person.pk != actor.pk:
            _notify(
                person,
                "braingain.ended",
                mentorship,
                page=("braingain:mentorship", mentorship.pk),
                title=ask.title,
            )


def mentorship_end(*, user: User, mentorship_id: int, reason: str, rematch: bool) -> Mentorship:
    if not reason.strip() or len(reason) > 300:
        raise _invalid("reason", _("Give a short reason (up to 300 characters)."))
    with transaction.atomic():
        mentorship, part = _mentorship_locked(user, mentorship_id)
        if mentorship.status not in (MentorshipStatus.AGREEING, MentorshipStatus.ACTIVE):
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This has already finished."))
        if part not in states.MENTORSHIP.transitions["end"].parts:
            raise DomainError(ErrorCode.FORBIDDEN, _("You cannot do that here."))
        _mentorship_end(mentorship, part=part, actor=user, reason=reason.strip(), rematch=rematch)
    return mentorship


def mentorship_complete(*, user: User, mentorship_id: int) -> Mentorship:
    with transaction.atomic():
        mentorship, part = _mentorship_locked(user, mentorship_id)
        _require_party(part)
        if (
            mentorship.status == MentorshipStatus.ACTIVE
            and not mentorship.sessions.filter(status=SessionStatus.HELD).exists()
        ):
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                _("Log at least one session that took place before completing."),
            )
        states.transition(states.MENTORSHIP, mentorship, "complete", part=part, actor=user)
        mentorship.finished_at = timezone.now()
        mentorship.certificate_code = readable_code()
        mentorship.save(update_fields=["finished_at", "certificate_code"])
        _release_place(mentorship.mentor_id)
        ask = Ask.objects.select_for_update().get(pk=mentorship.ask_id)
        if ask.status == AskStatus.MATCHED:
            states.transition(states.ASK, ask, "close", part="system", actor=user)
        minutes = selectors.mentorship_minutes(mentorship)
        event_record(
            kind="braingain.mentorship_completed",
            actor_id=user.pk,
            subject=mentorship,
            sector=ask.sector,
            country=_country(mentorship.mentor),
            value=round(minutes / 60, 2),  # hours given
        )
        audit_record(
            actor=user, action="mentorship.certificate", target=mentorship, minutes=minutes
        )
        other = mentorship.mentee if part == "mentor" else mentorship.mentor
        _notify(
            other,
            "braingain.completed",
            mentorship,
            page=("braingain:mentorship", mentorship.pk),
            title=ask.title,
        )
    return mentorship


# --- consultancy --------------------------------------------------------------------------------


def proposal_submit(
    *,
    user: User,
    ask_id: int,
    price_usd: Decimal,
    plan: str,
    milestones: list[dict[str, Any]],
) -> Proposal:
    with transaction.atomic():
        ask, part = selectors.ask_get_for_user(user=user, ask_id=ask_id)
        if part != "contributor" or not ask.is_project:
            raise NotFound()
        if ask.status != AskStatus.OPEN:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This project is no longer open."))
        profile = ContributorProfile.objects.filter(user=user).first()
        if profile is None or ContributionType.CONSULTANCY not in profile.contribution_types:
            raise DomainError(
                ErrorCode.NOT_ELIGIBLE,
                _("Add consultancy to the ways you help in your contributor profile first."),
            )
        if not milestones or len(milestones) > 10:
            raise _invalid("milestones", _("Give between 1 and 10 milestones."))
        total = sum((Decimal(str(m["amount"])) for m in milestones), Decimal(0))
        if total != price_usd:
            raise _invalid(
                "milestones",
                _("The milestones add up to %(total)s USD; the price is %(price)s USD.")
                % {"total": total, "price": price_usd},
            )
        proposal = Proposal(
            ask=ask, contributor=user, price_usd=price_usd, plan=plan.strip(), milestones=milestones
        )
        try:
            with transaction.atomic():
                _save_validated(proposal, exclude=["ask", "contributor"])
        except IntegrityError:
            raise DomainError(
                ErrorCode.CONFLICT, _("You have already sent a proposal for this project.")
            ) from None
        audit_record(actor=user, action="proposal.submit", target=proposal)
        _notify(
            ask.owner,
            "braingain.proposal",
            proposal,
            page=("braingain:ask", ask.pk),
            title=ask.title,
        )
    return proposal


def proposal_withdraw(*, user: User, proposal_id: int) -> Proposal:
    with transaction.atomic():
        proposal, part = selectors.proposal_get_for_user(user=user, proposal_id=proposal_id)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        states.transition(states.PROPOSAL, proposal, "withdraw", part=part, actor=user)
    return proposal


CONTRACT_TEMPLATE = (
    "Consultancy agreement under the Brain Gain Portal of the Pakistan Engineering Council.\n\n"
    "Client: {client}\nConsultant: {consultant}\nProject: {title}\n\n"
    "1. Scope. The consultant delivers the work described in the project's terms of reference "
    "and in the accepted proposal, by the milestones below.\n"
    "2. Price. The total price is USD {price}, paid by milestone. Payment is made between the "
    "parties directly; the portal records its status but does not hold or move money.\n"
    "3. Acceptance. The client reviews each delivery within 7 days and either accepts it or "
    "says what does not meet the scope; each milestone includes two rounds of changes.\n"
    "4. Confidentiality. Each party keeps the other's confidential information secret and uses "
    "it only for this work.\n"
    "5. Ownership. The client owns the deliverables once they are paid for; the consultant "
    "keeps general know-how and tools.\n"
    "6. Professional responsibility. Designs that must be sealed in Pakistan are reviewed and "
    "sealed by the client's PEC-registered engineer of record.\n"
    "7. Ending. Either party may end the agreement with 7 days' written notice through the "
    "portal; accepted milestones are paid.\n\n"
    "Milestones:\n{milestones}\n"
)


def _contract_text(ask: Ask, proposal: Proposal) -> str:
    client = ask.institution.name if ask.institution else ask.owner.display_name
    lines = "\n".join(
        f"{n}. {m['title']}: USD {Decimal(str(m['amount'])):,.2f}, {m['days']} days"
        for n, m in enumerate(proposal.milestones, start=1)
    )
    return CONTRACT_TEMPLATE.format(
        client=client,
        consultant=proposal.contributor.display_name,
        title=ask.title,
        price=f"{proposal.price_usd:,.2f}",
        milestones=lines,
    )


def proposal_award(*, user: User, proposal_id: int) -> Engagement:
    with transaction.atomic():
        proposal, part = selectors.proposal_get_for_user(user=user, proposal_id=proposal_id)
        ask = Ask.objects.select_for_update().get(pk=proposal.ask_id)
        proposal = (
            Proposal.objects.select_for_update().select_related("contributor").get(pk=proposal.pk)
        )
        if ask.status != AskStatus.OPEN:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("This project is no longer open."))
        states.transition(states.PROPOSAL, proposal, "award", part=part, actor=user)
        capacity_claim(
            ContributorProfile,
            _contributor_profile_id(proposal.contributor_id),
            used="active_count",
            cap="capacity",
        )
        states.transition(states.ASK, ask, "match", part="client", actor=user)
        ask.matched_at = timezone.now()
        ask.save(update_fields=["matched_at"])
        for other in ask.proposals.filter(status=ProposalStatus.SUBMITTED):
            states.transition(states.PROPOSAL, other, "pass_over", part="system", actor=user)
        engagement = Engagement.objects.create(
            ask=ask,
            proposal=proposal,
            client=ask.owner,
            consultant=proposal.contributor,
            price_usd=proposal.price_usd,
            contract_text=_contract_text(ask, proposal),
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    engagement=engagement,
                    position=n,
                    title=m["title"],
                    amount_usd=Decimal(str(m["amount"])),
                    days=int(m["days"]),
                )
                for n, m in enumerate(proposal.milestones, start=1)
            ]
        )
        audit_record(actor=user, action="engagement.create", target=engagement)
        event_record(
            kind="braingain.engagement_awarded",
            actor_id=user.pk,
            subject=engagement,
            sector=ask.sector,
            country=_country(proposal.contributor),
        )
        _notify(
            proposal.contributor,
            "braingain.awarded",
            engagement,
            page=("braingain:engagement", engagement.pk),
            title=ask.title,
        )
    return engagement


def _engagement_locked(user: User, engagement_id: int) -> tuple[Engagement, str]:
    engagement, part = selectors.engagement_get_for_user(user=user, engagement_id=engagement_id)
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    locked.ask = engagement.ask
    locked.client = engagement.client
    locked.consultant = engagement.consultant
    return locked, part


def engagement_sign(*, user: User, engagement_id: int) -> Engagement:
    with transaction.atomic():
        engagement, part = _engagement_locked(user, engagement_id)
        if part not in ("client", "consultant"):
            raise DomainError(ErrorCode.FORBIDDEN, _("Only the two parties sign."))
        if engagement.status != EngagementStatus.CONTRACTING:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("The contract is already signed."))
        field = f"{part}_signed_at"
        if getattr(engagement, field) is None:
            setattr(engagement, field, timezone.now())
            engagement.save(update_fields=[field, "updated_at"])
            audit_record(actor=user, action="engagement.sign", target=engagement, part=part)
        if engagement.client_signed_at and engagement.consultant_signed_at:
            states.transition(states.ENGAGEMENT, engagement, "start", part=part, actor=user)
    return engagement


def engagement_cancel(*, user: User, engagement_id: int, reason: str) -> Engagement:
    if not reason.strip() or len(reason) > 300:
        raise _invalid("reason", _("Give a short reason (up to 300 characters)."))
    with transaction.atomic():
        engagement, part = _engagement_locked(user, engagement_id)
        states.transition(
            states.ENGAGEMENT, engagement, "cancel", part=part, actor=user, reason=reason
        )
        engagement.finished_at = timezone.now()
        engagement.cancel_reason = reason.strip()
        engagement.save(update_fields=["finished_at", "cancel_reason"])
        _release_place(engagement.consultant_id)
        for milestone in engagement.milestones.filter(
            status__in=[MilestoneStatus.OPEN, MilestoneStatus.REVISION]
        ):
            states.transition(states.MILESTONE, milestone, "cancel", part="staff", actor=user)
    return engagement


def engagement_complete(*, user: User, engagement_id: int) -> Engagement:
    with transaction.atomic():
        engagement, part = _engagement_locked(user, engagement_id)
        if (
            part == "client"
            and engagement.milestones.exclude(
                status__in=[MilestoneStatus.ACCEPTED, MilestoneStatus.CANCELLED]
            ).exists()
        ):
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                _("Accept or cancel every milestone before completing."),
            )
        states.transition(states.ENGAGEMENT, engagement, "complete", part=part, actor=user)
        engagement.finished_at = timezone.now()
        engagement.save(update_fields=["finished_at"])
        _release_place(engagement.consultant_id)
        ask = Ask.objects.select_for_update().get(pk=engagement.ask_id)
        if ask.status == AskStatus.MATCHED:
            states.transition(states.ASK, ask, "close", part="system", actor=user)
        event_record(
            kind="braingain.engagement_completed",
            actor_id=user.pk,
            subject=engagement,
            sector=ask.sector,
            country=_country(engagement.consultant),
        )
    return engagement


def _milestone_locked(user: User, milestone_id: int) -> tuple[Milestone, str]:
    milestone, part = selectors.milestone_get_for_user(user=user, milestone_id=milestone_id)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    locked.engagement = milestone.engagement
    if milestone.engagement.status != EngagementStatus.ACTIVE and part != "staff":
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Milestones move once both have signed and until the engagement ends."),
        )
    return locked, part


def milestone_submit(*, user: User, milestone_id: int, note: str, link: str = "") -> Deliverable:
    with transaction.atomic():
        milestone, part = _milestone_locked(user, milestone_id)
        states.transition(states.MILESTONE, milestone, "submit", part=part, actor=user)
        deliverable = Deliverable(milestone=milestone, note=note.strip(), link=link.strip())
        _save_validated(deliverable, exclude=["milestone"])
        if deliverable.link and not deliverable.link.lower().startswith("https://"):
            raise _invalid("link", _("Share a secure (https://) link."))
        _notify(
            milestone.engagement.client,
            "braingain.delivered",
            deliverable,
            page=("braingain:engagement", milestone.engagement_id),
            title=milestone.title,
        )
    return deliverable


def milestone_review(*, user: User, milestone_id: int, accept: bool, note: str = "") -> Milestone:
    if len(note) > 4000:
        raise _invalid("note", _("Keep the note under 4,000 characters."))
    with transaction.atomic():
        milestone, part = _milestone_locked(user, milestone_id)
        if not accept and not note.strip():
            raise _invalid("note", _("Say what needs to change."))
        action = "accept" if accept else "request_changes"
        states.transition(states.MILESTONE, milestone, action, part=part, actor=user)
        latest = milestone.deliverables.order_by("-created_at", "-id").first()
        if latest is not None and note.strip():
            latest.review_note = note.strip()
            latest.save(update_fields=["review_note"])
        _notify(
            milestone.engagement.consultant,
            "braingain.reviewed",
            milestone,
            key=f"{latest.pk if latest else ''}:{action}",
            page=("braingain:engagement", milestone.engagement_id),
            title=milestone.title,
        )
    return milestone


def milestone_cancel(*, user: User, milestone_id: int) -> Milestone:
    with transaction.atomic():
        milestone, part = _milestone_locked(user, milestone_id)
        states.transition(states.MILESTONE, milestone, "cancel", part=part, actor=user)
    return milestone


def payment_record(*, user: User, milestone_id: int, action: str, reference: str = "") -> Milestone:
    """The consultant marks a milestone invoiced; the client marks it paid (after accepting
    it).  Money moves outside the portal; this only records what the parties say."""
    if len(reference) > 100:
        raise _invalid("reference", _("Keep the reference under 100 characters."))
    if action not in states.PAYMENT.transitions:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("That action does not exist."))
    with transaction.atomic():
        milestone, part = _milestone_locked(user, milestone_id)
        if action == "mark_paid" and milestone.status != MilestoneStatus.ACCEPTED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("Mark a milestone paid once it is accepted.")
            )
        states.transition(
            states.PAYMENT, milestone, action, part=part, actor=user, reference=reference
        )
        if reference.strip():
            milestone.payment_reference = reference.strip()
            milestone.save(update_fields=["payment_reference"])
    return milestone


def rating_leave(*, user: User, engagement_id: int, stars: int, comment: str) -> Rating:
    engagement, part = selectors.engagement_get_for_user(user=user, engagement_id=engagement_id)
    if part not in ("client", "consultant"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Only the two parties rate each other."))
    if engagement.status != EngagementStatus.COMPLETED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Ratings open when the work is complete.")
        )
    subject = engagement.consultant if part == "client" else engagement.client
    rating = Rating(
        engagement=engagement, author=user, subject=subject, stars=stars, comment=comment.strip()
    )
    try:
        with transaction.atomic():
            _save_validated(rating, exclude=["engagement", "author", "subject"])
    except IntegrityError:
        raise DomainError(
            ErrorCode.CONFLICT, _("You have already rated this engagement.")
        ) from None
    return rating


# --- matching rounds ----------------------------------------------------------------------------


def _require_round_staff(user: User) -> None:
    if not user.has_perm("braingain.run_matching_round"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Only programme staff run matching rounds."))


def round_create(*, user: User, name: str, kind: str, fairness: int) -> MatchingRound:
    _require_round_staff(user)
    created = MatchingRound(name=name.strip(), kind=kind, fairness=fairness, created_by=user)
    with transaction.atomic():
        _save_validated(created, exclude=["created_by"])
        audit_record(actor=user, action="round.create", target=created)
    return created


def round_asks(matching_round: MatchingRound) -> list[Ask]:
    """The seekers of a round: open asks of its kind that are not waiting for an answer."""
    return list(
        Ask.objects.filter(kind=matching_round.kind, status=AskStatus.OPEN)
        .exclude(requests__status=RequestStatus.PENDING)
        .order_by("pk")
    )


def round_constraint_set(
    *, user: User, round_id: int, ask_id: int, contributor_id: int, kind: str
) -> RoundConstraint:
    matching_round = selectors.round_get_for_staff(user=user, round_id=round_id)
    if matching_round.status == MatchingRound.Status.PUBLISHED:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This round is already published."))
    if kind not in RoundConstraint.Kind.values:
        raise _invalid("kind", _("Choose pin or forbid."))
    if not Ask.objects.filter(pk=ask_id, kind=matching_round.kind).exists():
        raise _invalid("ask_id", _("That ask is not in this round."))
    if not ContributorProfile.objects.filter(user_id=contributor_id).exists():
        raise _invalid("contributor_id", _("That person is not a contributor."))
    if kind == RoundConstraint.Kind.PIN:
        ask = Ask.objects.get(pk=ask_id)
        found = selectors.contributor_facts(user_ids=[contributor_id])
        facts = found[0] if found else None
        if facts is None or not matching.eligible(selectors.ask_facts(ask), facts):
            raise _invalid(
                "contributor_id",
                _("This person cannot take this ask (paused, full or not offering it)."),
            )
        pins = RoundConstraint.objects.filter(
            round=matching_round, contributor_id=contributor_id, kind=RoundConstraint.Kind.PIN
        ).exclude(ask_id=ask_id)
        if pins.count() >= facts.free:
            raise _invalid("contributor_id", _("This person has no free place for another pin."))
    with transaction.atomic():
        if kind == RoundConstraint.Kind.PIN:
            RoundConstraint.objects.filter(
                round=matching_round, ask_id=ask_id, kind=RoundConstraint.Kind.PIN
            ).delete()
        constraint, _created = RoundConstraint.objects.update_or_create(
            round=matching_round,
            ask_id=ask_id,
            contributor_id=contributor_id,
            defaults={"kind": kind},
        )
        audit_record(
            actor=user,
            action=f"round.{kind}",
            target=matching_round,
            ask=ask_id,
            contributor=contributor_id,
        )
    return constraint


def round_constraint_remove(*, user: User, round_id: int, constraint_id: int) -> None:
    matching_round = selectors.round_get_for_staff(user=user, round_id=round_id)
    with transaction.atomic():
        deleted, _detail = RoundConstraint.objects.filter(
            round=matching_round, pk=constraint_id
        ).delete()
        if not deleted:
            raise NotFound()
        audit_record(actor=user, action="round.unconstrain", target=matching_round)


def round_solve(*, user: User, round_id: int) -> MatchingRound:
    """Solve the round to optimality and keep the assignment with its objective (and the greedy
    baseline's, so staff see what the solver gained)."""
    matching_round = selectors.round_get_for_staff(user=user, round_id=round_id)
    if matching_round.status == MatchingRound.Status.PUBLISHED:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This round is already published."))
    asks = round_asks(matching_round)
    facts = selectors.contributor_facts()
    pool = ContributorPool(facts)
    constraints = list(matching_round.constraints.all())
    pinned = {(c.ask_id, c.contributor_id) for c in constraints if c.kind == "pin"}
    forbidden = {(c.ask_id, c.contributor_id) for c in constraints if c.kind == "forbid"}
    by_id = {f.id: f for f in facts}
    asked: dict[int, set[int]] = {}
    for ask_id, contributor_id in MatchRequest.objects.filter(
        ask_id__in=[a.pk for a in asks]
    ).values_list("ask_id", "contributor_id"):
        asked.setdefault(ask_id, set()).add(contributor_id)
    contributor_index: dict[int, int] = {}
    suggestion_of: dict[tuple[int, int], Suggestion] = {}
    edge_s, edge_c, edge_score = [], [], []
    for s, ask in enumerate(asks):
        ask_facts = selectors.ask_facts(ask)
        ranked = pool.rank(
            ask_facts, limit=ROUND_CANDIDATES, exclude=frozenset(asked.get(ask.pk, ()))
        )
        ids = {r.contributor_id for r in ranked}
        for ask_id, contributor_id in pinned:
            # a pin outside the top candidates still counts, if the person can take the ask
            extra = by_id.get(contributor_id) if ask_id == ask.pk else None
            if (
                extra is not None
                and contributor_id not in ids
                and matching.eligible(ask_facts, extra)
            ):
                ranked.append(matching.score_one(ask_facts, extra))
        for r in ranked:
            c = contributor_index.setdefault(r.contributor_id, len(contributor_index))
            edge_s.append(s)
            edge_c.append(c)
            edge_score.append(r.score)
            suggestion_of[(ask.pk, r.contributor_id)] = r
    people = sorted(contributor_index, key=contributor_index.__getitem__)
    ask_index = {ask.pk: s for s, ask in enumerate(asks)}
    problem = RoundInput(
        seekers=len(asks),
        free=np.array([by_id[p].free for p in people], dtype=np.int64),
        load=np.array([by_id[p].load for p in people], dtype=np.int64),
        edge_seeker=np.array(edge_s, dtype=np.int64),
        edge_contributor=np.array(edge_c, dtype=np.int64),
        edge_score=np.array(edge_score, dtype=np.float64),
        pins=frozenset(
            (ask_index[a], contributor_index[c])
            for a, c in pinned
            if a in ask_index and c in contributor_index
        ),
        forbids=frozenset(
            (ask_index[a], contributor_index[c])
            for a, c in forbidden
            if a in ask_index and c in contributor_index
        ),
        fairness=matching_round.fairness,
    )
    started = time.perf_counter()
    try:
        result = matching.solve_round(problem)
    except RoundError as error:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _(
                "A pin no longer holds (the contributor may have filled up); remove it and "
                "solve again."
            ),
        ) from error
    seconds = time.perf_counter() - started
    greedy = matching.greedy_round(problem)
    scores = [suggestion_of[(asks[s].pk, people[c])].score for s, c in result.assignment.items()]
    loads = np.bincount(list(result.assignment.values()), minlength=len(people))
    lost_pins = sorted(
        (a, c) for a, c in pinned if a not in ask_index or c not in contributor_index
    )
    with transaction.atomic():
        matching_round = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
        matching_round.assignments.all().delete()
        pins_by_pair = {(asks[s].pk, people[c]) for s, c in problem.pins}
        RoundAssignment.objects.bulk_create(
            [
                RoundAssignment(
                    round=matching_round,
                    ask_id=asks[s].pk,
                    contributor_id=people[c],
                    score=suggestion_of[(asks[s].pk, people[c])].score,
                    parts=suggestion_of[(asks[s].pk, people[c])].parts,
                    matched_skills=list(suggestion_of[(asks[s].pk, people[c])].matched_skills),
                    pinned=(asks[s].pk, people[c]) in pins_by_pair,
                )
                for s, c in sorted(result.assignment.items())
            ]
        )
        matching_round.summary = {
            "seekers": len(asks),
            "contributors": len(people),
            "pairs": len(edge_s),
            "matched": result.matched,
            "unmatched": result.unmatched,
            "objective": result.objective,
            "match_cost": result.match_cost,
            "fairness_cost": result.fairness_cost,
            "mean_fit": round(float(np.mean(scores)), 3) if scores else 0.0,
            "largest_load": int(loads.max(initial=0)),
            "contributors_used": int((loads > 0).sum()),
            "greedy_matched": greedy.matched,
            "greedy_cost": greedy.match_cost + greedy.fairness_cost,
            "gap_percent": _finite(matching.gap_percent(result, greedy)),
            "seconds": round(seconds, 3),
            "pins_not_applicable": [list(p) for p in lost_pins],
        }
        matching_round.status = MatchingRound.Status.SOLVED
        matching_round.solved_at = timezone.now()
        matching_round.save()
        audit_record(
            actor=user,
            action="round.solve",
            target=matching_round,
            **{k: matching_round.summary[k] for k in ("matched", "unmatched", "objective")},
        )
    return matching_round


def _finite(value: float) -> float | None:
    # JSON has no infinity: a zero-cost optimum against a costlier baseline has no percentage
    return round(value, 2) if math.isfinite(value) else None


def round_publish(*, user: User, round_id: int) -> int:
    """Send every assignment as a request (with the usual deadline).  An ask that changed since
    the solve (answered, closed, or already waiting) is skipped; returns how many were sent."""
    matching_round = selectors.round_get_for_staff(user=user, round_id=round_id)
    sent = 0
    with transaction.atomic():
        matching_round = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
        if matching_round.status != MatchingRound.Status.SOLVED:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("Solve the round before publishing."))
        for assignment in matching_round.assignments.select_related("ask"):
            ask = Ask.objects.select_for_update().get(pk=assignment.ask_id)
            try:
                with transaction.atomic():
                    _request_create(
                        ask=ask,
                        contributor_id=assignment.contributor_id,
                        message="",
                        source=RequestSource.ROUND,
                        actor=user,
                        enforce_limit=False,
                    )
                sent += 1
            except DomainError:
                continue
        matching_round.status = MatchingRound.Status.PUBLISHED
        matching_round.published_at = timezone.now()
        matching_round.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=user, action="round.publish", target=matching_round, sent=sent)
    return sent


# --- contributors --------------------------------------------------------------------------------


def contributor_skills_set(*, user: User, skills: list[str]) -> ContributorProfile:
    if len(skills) > 40:
        raise _invalid("skills", _("List at most 40 skills."))
    known = taxonomy()
    for skill in skills:
        try:
            known.skill(skill)
        except KeyError:
            raise _invalid("skills", _("Choose skills from the list.")) from None
    with transaction.atomic():
        profile = ContributorProfile.objects.select_for_update().filter(user=user).first()
        if profile is None:
            raise DomainError(
                ErrorCode.PROFILE_MISSING, _("Complete your contributor profile first.")
            )
        profile.skills = list(dict.fromkeys(skills))
        profile.save(update_fields=["skills", "updated_at"])
    return profile
