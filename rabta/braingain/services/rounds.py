"""Matching rounds: staff assign a whole cohort of open asks at once.  The service loads the
round's facts, the engine (``rabta.engine.matching``) builds and solves the problem, and the
service keeps the assignment; publishing sends each pair as an ordinary request."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import ContributorProfile, User
from rabta.braingain import facts, selectors, states
from rabta.braingain.models import (
    Ask,
    MatchingRound,
    RequestSource,
    RoundAssignment,
    RoundConstraint,
)
from rabta.braingain.services.requests import request_create
from rabta.core.errors import DomainError, ErrorCode, NotFound, invalid
from rabta.core.services import audit_record, save_validated
from rabta.engine import matching
from rabta.engine.matching import RoundError, RoundPlan, RoundResult

ROUND_CANDIDATES = matching.ROUND_CANDIDATES


def _require_round_staff(user: User) -> None:
    if not user.has_perm("braingain.run_matching_round"):
        raise DomainError(ErrorCode.FORBIDDEN, _("Only programme staff run matching rounds."))


def _require_unpublished(matching_round: MatchingRound) -> None:
    if matching_round.status == MatchingRound.Status.PUBLISHED:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("This round is already published."))


def round_create(*, user: User, name: str, kind: str, fairness: int) -> MatchingRound:
    _require_round_staff(user)
    created = MatchingRound(name=name.strip(), kind=kind, fairness=fairness, created_by=user)
    with transaction.atomic():
        save_validated(created, exclude=["created_by"])
        audit_record(actor=user, action="round.create", target=created)
    return created


def _pin_check(matching_round: MatchingRound, ask_id: int, contributor_id: int) -> None:
    """A pin must be on someone who can take the ask and has a free place for it."""
    ask = Ask.objects.get(pk=ask_id)
    found = facts.contributor_facts(user_ids=[contributor_id])
    person = found[0] if found else None
    if person is None or not matching.eligible(facts.ask_facts(ask), person):
        raise invalid(
            "contributor_id",
            _("This person cannot take this ask (paused, full or not offering it)."),
        )
    pins = RoundConstraint.objects.filter(
        round=matching_round, contributor_id=contributor_id, kind=RoundConstraint.Kind.PIN
    ).exclude(ask_id=ask_id)
    if pins.count() >= person.free:
        raise invalid("contributor_id", _("This person has no free place for another pin."))


def round_constraint_set(
    *, user: User, round_id: int, ask_id: int, contributor_id: int, kind: str
) -> RoundConstraint:
    """Pin a pair (the solver must keep it) or forbid it (the solver must not use it)."""
    matching_round = selectors.round_get_for_staff(user=user, round_id=round_id)
    _require_unpublished(matching_round)
    if kind not in RoundConstraint.Kind.values:
        raise invalid("kind", _("Choose pin or forbid."))
    if not Ask.objects.filter(pk=ask_id, kind=matching_round.kind).exists():
        raise invalid("ask_id", _("That ask is not in this round."))
    if not ContributorProfile.objects.filter(user_id=contributor_id).exists():
        raise invalid("contributor_id", _("That person is not a contributor."))
    if kind == RoundConstraint.Kind.PIN:
        _pin_check(matching_round, ask_id, contributor_id)
    with transaction.atomic():
        if kind == RoundConstraint.Kind.PIN:
            # one pin per ask: a new pin replaces the old one
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


def _plan(matching_round: MatchingRound) -> RoundPlan:
    """The round's facts, loaded once, as the engine's problem."""
    asks = selectors.round_asks(matching_round)
    asked = facts.contributors_asked(ask_ids=[a.pk for a in asks])
    pins, forbids = facts.round_constraint_pairs(matching_round)
    return matching.round_plan(
        [matching.RoundSeeker(facts.ask_facts(a), asked.get(a.pk, frozenset())) for a in asks],
        facts.contributor_facts(),
        pins=pins,
        forbids=forbids,
        fairness=matching_round.fairness,
        candidates=ROUND_CANDIDATES,
    )


def _solved(plan: RoundPlan) -> tuple[RoundResult, float]:
    started = time.perf_counter()
    try:
        result = matching.solve_round(plan.problem)
    except RoundError as error:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _(
                "A pin no longer holds (the contributor may have filled up); remove it and "
                "solve again."
            ),
        ) from error
    return result, time.perf_counter() - started


def round_solve(*, user: User, round_id: int) -> MatchingRound:
    """Solve the round to optimality and keep the assignment with its objective (and the greedy
    baseline's, so staff see what the solver gained)."""
    matching_round = selectors.round_get_for_staff(user=user, round_id=round_id)
    _require_unpublished(matching_round)
    plan = _plan(matching_round)
    result, seconds = _solved(plan)
    greedy = matching.greedy_round(plan.problem)
    summary = matching.round_summary(plan, result, greedy, seconds=seconds)
    with transaction.atomic():
        matching_round = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
        matching_round.assignments.all().delete()
        RoundAssignment.objects.bulk_create(
            [
                RoundAssignment(
                    round=matching_round,
                    ask_id=pair.ask_id,
                    contributor_id=pair.suggestion.contributor_id,
                    score=pair.suggestion.score,
                    parts=pair.suggestion.parts,
                    matched_skills=list(pair.suggestion.matched_skills),
                    pinned=pair.pinned,
                )
                for pair in plan.pairs(result)
            ]
        )
        matching_round.summary = summary
        matching_round.solved_at = timezone.now()
        states.transition(
            states.ROUND,
            matching_round,
            "solve",
            part="staff",
            actor=user,
            fields=["summary", "solved_at"],
            **{k: summary[k] for k in ("matched", "unmatched", "objective")},
        )
    return matching_round


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
                    request_create(
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
        matching_round.published_at = timezone.now()
        states.transition(
            states.ROUND,
            matching_round,
            "publish",
            part="staff",
            actor=user,
            fields=["published_at"],
            sent=sent,
        )
    return sent
