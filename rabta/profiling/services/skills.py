"""A person's skills in their assessment: picked from the ESCO list, or suggested from their
experience text (by a worker: ``skill_suggestions_compute``) and confirmed (or rejected) one by
one."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.tasks import task_enqueue
from rabta.engine.taxonomy import taxonomy
from rabta.profiling.linker import skills_suggest
from rabta.profiling.models import (
    MAX_EXPERIENCE_CHARS,
    MAX_SKILLS,
    Assessment,
    AssessmentState,
    SkillClaim,
    SkillSource,
    SkillSuggestion,
    SuggestionState,
    text_fingerprint,
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


# C0 and C1 control characters other than tab and line breaks: what a copy from a terminal or a
# binary file leaves, never part of a description of one's work (PostgreSQL refuses NUL outright).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _experience_checked(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_EXPERIENCE_CHARS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Please shorten the text to %(n)d characters.") % {"n": MAX_EXPERIENCE_CHARS},
            fields={"text": [_("Too long.")]},
        )
    if _CONTROL.search(text):
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("The text contains control characters. Paste it again as plain text."),
            fields={"text": [_("Control characters are not allowed.")]},
        )
    return text


@transaction.atomic
def experience_save(*, user: User, text: str) -> Assessment:
    """Keep the text, and ask a worker to suggest the skills it mentions: the page shows them
    when ``skill_suggestions_compute`` has stored them, and the web process never loads the
    model.  An empty text is kept (the step is optional) and asks for nothing."""
    from rabta.profiling.tasks import skill_suggestions_task

    assessment = assessment_editable(user)
    text = _experience_checked(text)
    assessment.experience_text = text
    assessment.suggestions_asked_at = timezone.now() if text else None
    step_mark_done(assessment, "experience")
    assessment.save(
        update_fields=[
            "experience_text",
            "suggestions_asked_at",
            "step",
            "completed_steps",
            "updated_at",
        ]
    )
    if text:
        task_enqueue(skill_suggestions_task, assessment.pk, text_fingerprint(text))
    return assessment


def experience_analyse(*, user: User, text: str) -> Assessment:
    """The "suggest skills from my text" button: as ``experience_save``, but a text without a word
    to suggest from is refused instead of kept."""
    if not any(character.isalnum() for character in text):
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Write a few sentences about your work first: we suggest skills from them."),
            fields={"text": [_("Describe your experience.")]},
        )
    return experience_save(user=user, text=text)


def _awaiting(assessment_id: int, fingerprint: str, *, lock: bool = False) -> Assessment | None:
    """The assessment if it still awaits suggestions for exactly this text."""
    found = Assessment.objects.filter(
        pk=assessment_id, state=AssessmentState.IN_PROGRESS, suggestions_asked_at__isnull=False
    )
    assessment = (found.select_for_update() if lock else found).first()
    if assessment is None or text_fingerprint(assessment.experience_text) != fingerprint:
        return None
    return assessment


def _answered(assessment: Assessment) -> tuple[set[str], set[str]]:
    """Skills the person already holds, and suggestions they already answered: neither is
    suggested again."""
    held = set(assessment.skills.values_list("skill_id", flat=True))
    decided = set(
        assessment.suggestions.exclude(state=SuggestionState.PENDING).values_list(
            "skill_id", flat=True
        )
    )
    return held, decided


def skill_suggestions_compute(*, assessment_id: int, fingerprint: str) -> int:
    """Suggest the skills an assessment's experience text mentions (in a worker, whose process
    keeps the model loaded); the number of suggestions stored.  The text's earlier pending
    suggestions are replaced; skills the person holds or answered before are left out.

    Idempotent: it stores only while suggestions for exactly this text are awaited, so a
    duplicate delivery, or a message for a text the person has changed since, stores nothing."""
    assessment = _awaiting(assessment_id, fingerprint)
    if assessment is None:
        return 0
    held, decided = _answered(assessment)
    # Linked outside the transaction: no row is locked while the model works.
    found = skills_suggest(
        assessment.experience_text, SUGGESTIONS_PER_TEXT + len(held) + len(decided)
    )
    with transaction.atomic():
        assessment = _awaiting(assessment_id, fingerprint, lock=True)
        if assessment is None:  # another delivery of this message stored them meanwhile
            return 0
        held, decided = _answered(assessment)
        assessment.suggestions.filter(state=SuggestionState.PENDING).delete()
        t = taxonomy()
        fresh = [
            SkillSuggestion(
                assessment=assessment,
                skill_id=skill_id,
                label=t.skill(skill_id).label,
                score=score,
            )
            for skill_id, score in found
            if skill_id not in held and skill_id not in decided
        ][:SUGGESTIONS_PER_TEXT]
        SkillSuggestion.objects.bulk_create(fresh)
        assessment.suggestions_asked_at = None
        assessment.suggestions_text = fingerprint
        assessment.save(update_fields=["suggestions_asked_at", "suggestions_text"])
    return len(fresh)


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
