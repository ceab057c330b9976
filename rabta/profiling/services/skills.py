"""A person's skills in their assessment: picked from the ESCO list, or suggested from their
experience text and confirmed (or rejected) one by one."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.engine.taxonomy import taxonomy
from rabta.profiling.linker import skill_linker
from rabta.profiling.models import (
    MAX_EXPERIENCE_CHARS,
    MAX_SKILLS,
    Assessment,
    SkillClaim,
    SkillSource,
    SkillSuggestion,
    SuggestionState,
)
from rabta.profiling.services.assessments import assessment_editable, step_mark_done
from rabta.profiling.states import SUGGESTION, transition

SUGGESTIONS_PER_TEXT = 12


def skill_add(*, user: User, skill_id: str, level: int = 2) -> SkillClaim:
    assessment = assessment_editable(user)
    try:
        skill = taxonomy().skill(skill_id)
    except KeyError:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("That skill is not in the list. Search and pick one of the suggestions."),
            fields={"skill_id": [_("Unknown skill.")]},
        ) from None
    if level not in (1, 2, 3, 4):
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Choose a level."),
            fields={"level": [_("Choose a level.")]},
        )
    existing = assessment.skills.filter(skill_id=skill_id).first()
    if existing is not None:
        existing.level = level
        existing.save(update_fields=["level"])
        return existing
    if assessment.skills.count() >= MAX_SKILLS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("You can list up to %(n)d skills: remove one you use least first.")
            % {"n": MAX_SKILLS},
        )
    claim, _created = SkillClaim.objects.get_or_create(
        assessment=assessment,
        skill_id=skill_id,
        defaults={"label": skill.label, "level": level},
    )
    return claim


def skill_remove(*, user: User, skill_id: str) -> int:
    assessment = assessment_editable(user)
    deleted, _rows = assessment.skills.filter(skill_id=skill_id).delete()
    return deleted


def skills_done(*, user: User) -> Assessment:
    assessment = assessment_editable(user)
    if not assessment.skills.exists():
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Add at least one skill, or describe your experience on the next step."),
        )
    step_mark_done(assessment, "skills")
    assessment.save(update_fields=["step", "completed_steps", "updated_at"])
    return assessment


def experience_save(*, user: User, text: str) -> list[SkillSuggestion]:
    """Keep the text and suggest the skills it mentions.  Skills the person already listed or
    rejected before are not suggested again."""
    assessment = assessment_editable(user)
    text = text.strip()
    if len(text) > MAX_EXPERIENCE_CHARS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Please shorten the text to %(n)d characters.") % {"n": MAX_EXPERIENCE_CHARS},
            fields={"text": [_("Too long.")]},
        )
    assessment.experience_text = text
    step_mark_done(assessment, "experience")
    assessment.save(update_fields=["experience_text", "step", "completed_steps", "updated_at"])
    if not text:
        return []
    held = set(assessment.skills.values_list("skill_id", flat=True))
    decided = set(
        assessment.suggestions.exclude(state=SuggestionState.PENDING).values_list(
            "skill_id", flat=True
        )
    )
    assessment.suggestions.filter(state=SuggestionState.PENDING).delete()
    found = skill_linker().link(text, SUGGESTIONS_PER_TEXT + len(held) + len(decided))
    t = taxonomy()
    fresh = [
        SkillSuggestion(
            assessment=assessment, skill_id=skill_id, label=t.skill(skill_id).label, score=score
        )
        for skill_id, score in found
        if skill_id not in held and skill_id not in decided
    ][:SUGGESTIONS_PER_TEXT]
    return SkillSuggestion.objects.bulk_create(fresh)


@transaction.atomic
def suggestion_decide(*, user: User, suggestion_id: int, confirm: bool, level: int = 2) -> None:
    """Confirm a suggested skill (it joins the person's skills at ``level``) or reject it (a
    skill it added before goes).  Answering the same way twice changes nothing more than the
    level."""
    assessment = assessment_editable(user)
    suggestion = assessment.suggestions.filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound()
    action = "confirm" if confirm else "reject"
    if suggestion.state != SUGGESTION.transitions[action].target:
        transition(SUGGESTION, suggestion, action, part="owner", actor=user)
    if confirm:
        claim = skill_add(user=user, skill_id=suggestion.skill_id, level=level)
        if claim.source != SkillSource.TEXT:
            claim.source = SkillSource.TEXT
            claim.save(update_fields=["source"])
    else:
        assessment.skills.filter(skill_id=suggestion.skill_id, source=SkillSource.TEXT).delete()
