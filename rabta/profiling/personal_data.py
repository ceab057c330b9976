"""Career profiling's part of a person's data: assessments with the skills claimed and the
results computed, and the first engagement reported (see ``rabta.core.personal_data``)."""

from __future__ import annotations

from typing import Any

from rabta.accounts.models import User
from rabta.core.personal_data import anonymise, delete, record, section_register
from rabta.profiling.models import Assessment, EngagementOutcome, PostingImport, ProfileResult


def _assessment(assessment: Assessment) -> dict[str, Any]:
    result = ProfileResult.objects.filter(assessment=assessment).first()
    return {
        **record(assessment, exclude=("id", "user", "suggestions_text", "suggestions_asked_at")),
        "skills": [
            record(s, only=("skill_id", "label", "level", "source"))
            for s in assessment.skills.all()
        ],
        "skill_suggestions": [
            record(s, only=("skill_id", "label", "score", "state"))
            for s in assessment.suggestions.all()
        ],
        "result": record(result, exclude=("id", "assessment")) if result else None,
    }


def profiling_export(user: User) -> dict[str, Any]:
    outcome = EngagementOutcome.objects.filter(user=user).first()
    assessments = Assessment.objects.filter(user=user).prefetch_related("skills", "suggestions")
    return {
        "assessments": [_assessment(a) for a in assessments.order_by("number")],
        "first_engagement": record(outcome, exclude=("id", "user")) if outcome else None,
        "posting_imports_made": [
            record(i, only=("file_name", "created_at", "rows"))
            for i in PostingImport.objects.filter(uploaded_by=user).order_by("created_at")
        ],
    }


section_register(
    app="profiling",
    title="Your career assessments (skills, experience, tools, working online, interests, "
    "goals), the pathways and gaps computed from them, and your first engagement.",
    export=profiling_export,
    position=30,
    rules={
        "profiling.Assessment.user": delete(
            "Skills, suggestions and results go with the assessment; the dashboards keep "
            "their anonymous counts in the event table."
        ),
        "profiling.EngagementOutcome.user": delete(
            "The pathway priors it calibrated are recomputed from the outcomes that remain."
        ),
        "profiling.PostingImport.uploaded_by": anonymise(
            "Imported job postings measure demand; they are not about the uploader."
        ),
    },
)
