"""Asks: what a seeker (an engineer, or a member of an institution) needs help with."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.accounts.reference import ContributionType
from rabta.braingain import selectors, states
from rabta.braingain.models import Ask, ProposalStatus, RequestStatus
from rabta.core.errors import invalid
from rabta.core.services import audit_record, event_record, save_validated
from rabta.engine.taxonomy import taxonomy

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
MAX_ASK_SKILLS = 10


def _skills_checked(skills: Any) -> list[str]:
    if not isinstance(skills, list) or len(skills) > MAX_ASK_SKILLS:
        raise invalid("skills", _("Choose at most 10 skills."))
    known = taxonomy()
    checked: list[str] = []
    for skill in skills:
        try:
            known.skill(str(skill))
        except KeyError:
            raise invalid("skills", _("Choose skills from the list.")) from None
        if skill not in checked:
            checked.append(str(skill))
    return checked


def _deadline_check(deadline: Any) -> None:
    today = timezone.localdate()
    if isinstance(deadline, date) and not today < deadline <= today + timedelta(days=366):
        raise invalid("deadline", _("Choose a date within the next year."))


def _clean_ask(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(ASK_FIELDS) - {"institution_id"}
    if unknown:
        raise invalid(sorted(unknown)[0], _("This field cannot be set."))
    cleaned = dict(data)
    cleaned["skills"] = _skills_checked(cleaned.get("skills") or [])
    _deadline_check(cleaned.get("deadline"))
    consultancy = cleaned.get("kind") == ContributionType.CONSULTANCY
    if consultancy and not cleaned.get("budget_usd"):
        raise invalid("budget_usd", _("A consultancy project needs a budget."))
    if not consultancy:
        cleaned["budget_usd"] = None
    if cleaned.get("mode") == "in_person" and not str(cleaned.get("city", "")).strip():
        raise invalid("city", _("Say in which city the work happens."))
    return cleaned


def ask_post(*, user: User, data: Mapping[str, Any]) -> Ask:
    cleaned = _clean_ask(data)
    institution_id = cleaned.pop("institution_id", None)
    if institution_id and not selectors.is_member(user=user, institution_id=institution_id):
        raise invalid("institution_id", _("You can post only for your own institution."))
    if not institution_id and not hasattr(user, "engineer_profile"):
        raise invalid(
            "institution_id",
            _("Post for your institution, or complete your engineer profile first."),
        )
    ask = Ask(owner=user, institution_id=institution_id or None, **cleaned)
    with transaction.atomic():
        save_validated(ask)
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
        ask.closed_at = timezone.now()
        states.transition(states.ASK, ask, "close", part=part, actor=user, fields=["closed_at"])
        for pending in ask.requests.filter(status=RequestStatus.PENDING):
            states.transition(states.REQUEST, pending, "withdraw", part=part, actor=user)
        for proposal in ask.proposals.filter(status=ProposalStatus.SUBMITTED):
            states.transition(states.PROPOSAL, proposal, "pass_over", part="system", actor=user)
    return ask
