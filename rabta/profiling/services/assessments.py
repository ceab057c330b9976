"""The assessment: starting (or resuming) one, saving its steps as the person goes, and
completing it.  Every function takes the acting user and fetches the assessment through them:
nobody can change another person's assessment by guessing an id."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import EngineerProfile, User
from rabta.accounts.services import engineer_dimensions
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.models import Event
from rabta.profiling import selectors
from rabta.profiling.inventory import BY_CODE
from rabta.profiling.models import (
    MAX_TOOL_CHARS,
    MAX_TOOLS,
    STEPS,
    Assessment,
    AssessmentState,
    ProfileResult,
    SkillClaim,
    SkillSuggestion,
    SuggestionState,
)
from rabta.profiling.services.results import result_compute
from rabta.profiling.states import ASSESSMENT, transition

# the answers a re-assessment starts from: everything but the state and the steps
CARRIED = (
    "experience_text",
    "tools",
    "english_written",
    "english_spoken",
    "collaboration_tools",
    "payment",
    "online_profiles",
    "internet",
    "power_backup",
    "hours_per_week",
    "interests",
    "goal",
    "target_monthly_usd",
    "goal_note",
)
SKILL_GAPS_COUNTED = 5


def engineer_required(user: User) -> EngineerProfile:
    profile = selectors.engineer_profile(user_id=user.pk)
    if profile is None:
        raise DomainError(
            ErrorCode.PROFILE_MISSING, _("Create your engineer profile before the assessment.")
        )
    return profile


def assessment_editable(user: User) -> Assessment:
    """The person's assessment in progress, or a refusal that says why there is none."""
    current = selectors.assessment_for(user=user)
    if current is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Start an assessment first: it may have been finished.")
        )
    return current


def step_mark_done(assessment: Assessment, step: str) -> None:
    """Count ``step`` as done and move on to the first step not done yet."""
    done = list(assessment.completed_steps)
    if step not in done:
        done.append(step)
    assessment.completed_steps = [s for s in STEPS if s in done]
    following = [s for s in STEPS if s not in assessment.completed_steps]
    assessment.step = following[0] if following else step


def _carry_over(fresh: Assessment, last: Assessment) -> None:
    """The last completed assessment's skills and answered suggestions, copied to ``fresh``."""
    SkillClaim.objects.bulk_create(
        SkillClaim(
            assessment=fresh, skill_id=c.skill_id, label=c.label, level=c.level, source=c.source
        )
        for c in last.skills.all()
    )
    SkillSuggestion.objects.bulk_create(
        SkillSuggestion(
            assessment=fresh, skill_id=s.skill_id, label=s.label, score=s.score, state=s.state
        )
        for s in last.suggestions.exclude(state=SuggestionState.PENDING)
    )


@transaction.atomic
def assessment_start(*, user: User) -> Assessment:
    """Resume the assessment in progress or start a new one.  A re-assessment starts from the
    answers of the last completed one, so the person only changes what changed."""
    engineer_required(user)
    current = selectors.assessment_for(user=user)
    if current is not None:
        return current
    last = (
        Assessment.objects.filter(user=user, state=AssessmentState.COMPLETED)
        .order_by("-number")
        .first()
    )
    number = (Assessment.objects.filter(user=user).aggregate(n=Max("number"))["n"] or 0) + 1
    fresh = Assessment(user=user, number=number)
    if last is not None:
        for name in CARRIED:
            setattr(fresh, name, getattr(last, name))
    try:
        with transaction.atomic():
            fresh.save()
    except IntegrityError:  # a second tab started one at the same moment
        found = selectors.assessment_for(user=user)
        if found is None:
            raise
        return found
    if last is not None:
        _carry_over(fresh, last)
    return fresh


def _tool_names(tools: list[str]) -> list[str]:
    """The tools as typed, each known alias written as its catalogue name, each once."""
    cleaned: list[str] = []
    for raw in tools:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > MAX_TOOL_CHARS:
            raise DomainError(
                ErrorCode.VALIDATION_ERROR,
                _("A tool name can have up to %(n)d characters.") % {"n": MAX_TOOL_CHARS},
                fields={"tools": [_("Too long.")]},
            )
        name = selectors.tool_aliases().get(name.casefold(), name)
        if name.casefold() not in {c.casefold() for c in cleaned}:
            cleaned.append(name)
    return cleaned


def tools_save(*, user: User, tools: list[str], final: bool = False) -> list[str]:
    assessment = assessment_editable(user)
    cleaned = _tool_names(tools)
    if len(cleaned) > MAX_TOOLS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("List up to %(n)d tools, the ones you use most.") % {"n": MAX_TOOLS},
            fields={"tools": [_("Too many.")]},
        )
    assessment.tools = cleaned
    if final:
        step_mark_done(assessment, "tools")
    assessment.save(update_fields=["tools", "step", "completed_steps", "updated_at"])
    return cleaned


def answers_save(*, user: User, step: str, data: dict[str, Any], final: bool) -> Assessment:
    """Save the digital, interests or goals step.  Autosave sends partial answers (final=False);
    the step counts as done only when submitted complete."""
    return _answers_apply(assessment_editable(user), step, data, final)


def _answers_apply(
    assessment: Assessment, step: str, data: dict[str, Any], final: bool
) -> Assessment:
    for name, value in data.items():
        setattr(assessment, name, value)
    if final:
        step_mark_done(assessment, step)
    assessment.save()
    return assessment


def interests_save(*, user: User, answers: dict[str, int], final: bool) -> Assessment:
    clean = {
        code: int(v) for code, v in answers.items() if code in BY_CODE and v in (1, 2, 3, 4, 5)
    }
    assessment = assessment_editable(user)
    merged = {**assessment.interests, **clean}
    if final and len(merged) < len(BY_CODE):
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Please answer every statement: %(n)d are still open.")
            % {"n": len(BY_CODE) - len(merged)},
        )
    return _answers_apply(assessment, "interests", {"interests": merged}, final)


def steps_missing(assessment: Assessment) -> list[str]:
    """The steps still to do before the assessment can be completed (experience is optional)."""
    return [s for s in STEPS if s not in assessment.completed_steps and s != "experience"]


@transaction.atomic
def assessment_complete(*, user: User) -> ProfileResult:
    assessment = assessment_editable(user)
    missing = steps_missing(assessment)
    if missing:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Some steps are not finished yet."),
            fields={"steps": missing},
        )
    profile = engineer_required(user)
    result = result_compute(assessment)
    last = selectors.assessment_last_completed(user=user)
    if last is not None and hasattr(last, "result") and last.result.chosen_pathway:
        result.chosen_pathway = last.result.chosen_pathway
        result.save(update_fields=["chosen_pathway"])
    assessment.completed_at = timezone.now()
    transition(
        ASSESSMENT, assessment, "complete", part="owner", actor=user, fields=["completed_at"]
    )
    Event.objects.bulk_create(assessment_events(assessment, profile, result))
    return result


def assessment_events(
    assessment: Assessment, profile: EngineerProfile | None, result: ProfileResult
) -> list[Event]:
    """The assessment, the essential skills its best-fitting pathway misses (up to five) and
    the digital-readiness parts that hold the person back: what the council's skill-gap
    dashboards count."""
    dims: dict[str, Any] = dict(engineer_dimensions(profile))
    best = result.pathways[0] if result.pathways else None
    pathway = best["slug"] if best else ""
    essential_gaps = [g for g in (best["gaps"] if best else []) if g["essential"]]
    events = [
        Event(kind="assessed", actor_id=assessment.user_id, pathway=pathway, **dims),
        *(
            Event(kind="profiling.skill_gap", pathway=pathway, item=gap["id"], **dims)
            for gap in essential_gaps[:SKILL_GAPS_COUNTED]
        ),
        *(
            Event(kind="profiling.readiness_gap", pathway=pathway, item=part, **dims)
            for part in result.readiness_gaps
        ),
    ]
    for event in events:
        event.subject_type, event.subject_id = "profiling.assessment", assessment.pk
    return events
