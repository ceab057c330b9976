"""Results and recommendations: what the scoring engine concludes from a completed assessment,
stored so that a later re-assessment can show progress, and the pathway a person chooses."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.engine import scoring
from rabta.engine.pathways import pathway as pathway_get
from rabta.engine.pathways import pathways
from rabta.engine.taxonomy import taxonomy
from rabta.profiling import selectors
from rabta.profiling.inventory import theme_answers
from rabta.profiling.models import (
    FREELANCE_PROFILES,
    PROFESSIONAL_PROFILES,
    Assessment,
    AssessmentState,
    ProfileResult,
)
from rabta.profiling.similarity import skill_similarity

DETAILED = 10  # pathways stored with their reasons and gaps; the rest with fit only
GAPS_STORED = 8


def person_from(assessment: Assessment, discipline: str = "") -> scoring.Person:
    profiles = set(assessment.online_profiles)
    return scoring.Person(
        skills={c.skill_id: c.level for c in assessment.skills.all()},
        tools=frozenset(assessment.tools),
        interests=scoring.interest_scores(theme_answers(assessment.interests)),
        readiness=scoring.Readiness(
            english_written=assessment.english_written or 0,
            english_spoken=assessment.english_spoken or 0,
            collaboration_tools=len(assessment.collaboration_tools),
            payment=assessment.payment or "none",
            freelance_profiles=len(profiles & set(FREELANCE_PROFILES)),
            professional_profiles=len(profiles & set(PROFESSIONAL_PROFILES)),
            internet=assessment.internet or "poor",
            power_backup=assessment.power_backup not in ("", "none"),
            hours_per_week=assessment.hours_per_week or 0,
        ),
        discipline=discipline,
    )


def scorer_current() -> scoring.Scorer:
    """A scorer with today's demand; build one per batch when scoring many people."""
    return scoring.Scorer(
        pathways(), similarity=skill_similarity(), demand=selectors.demand_current()
    )


def _detail(s: scoring.PathwayScore) -> dict[str, list[dict[str, Any]]]:
    """A pathway's reasons (the person's skills that support it) and gaps, as stored."""
    t = taxonomy()
    return {
        "support": [
            {
                "label": x.skill.label,
                "id": x.skill.id,
                "via": x.via,
                "via_label": t.skill(x.via).label if x.via else "",
                "level": x.level,
                "essential": x.essential,
            }
            for x in s.support
        ],
        "gaps": [
            {"label": g.skill.label, "id": g.skill.id, "essential": g.essential, "gain": g.gain}
            for g in s.gaps[:GAPS_STORED]
        ],
    }


def _stored(ranked: list[scoring.PathwayScore], keep: str = "") -> list[dict[str, Any]]:
    """The ranked pathways as stored; ``keep`` (the chosen pathway) is detailed wherever it
    ranks, since its plan is built from its gaps."""
    stored: list[dict[str, Any]] = []
    for position, s in enumerate(ranked):
        row: dict[str, Any] = {
            "slug": s.slug,
            "title": s.title,
            "fit": s.fit,
            "parts": s.parts,
            "confidence": s.confidence,
            "confidence_level": s.confidence_level,
            "tools": list(s.tools),
            "support": [],
            "gaps": [],
        }
        if position < DETAILED or s.slug == keep:
            row.update(_detail(s))
        stored.append(row)
    return stored


def _result_values(scorer: scoring.Scorer, person: scoring.Person, keep: str) -> dict[str, Any]:
    readiness, readiness_gaps = scoring.readiness_score(person.readiness)
    return {
        "engine_version": scoring.VERSION,
        "readiness": readiness,
        "readiness_gaps": readiness_gaps,
        "pathways": _stored(scorer.score(person), keep),
    }


def result_compute(
    assessment: Assessment, *, scorer: scoring.Scorer | None = None
) -> ProfileResult:
    profile = selectors.engineer_profile(user_id=assessment.user_id)
    person = person_from(assessment, profile.discipline if profile else "")
    previous = ProfileResult.objects.filter(assessment=assessment).first()
    chosen = previous.chosen_pathway if previous else ""
    result, _created = ProfileResult.objects.update_or_create(
        assessment=assessment,
        defaults={
            **_result_values(scorer or scorer_current(), person, chosen),
            "chosen_pathway": chosen,
        },
    )
    return result


def _recompute_batch(scorer: scoring.Scorer, wanted: dict[int, int]) -> int:
    """Re-profile the assessments numbered ``wanted[user_id]``: a few queries in all."""
    assessments = [
        a
        for a in Assessment.objects.filter(user_id__in=wanted).prefetch_related("skills")
        if wanted[a.user_id] == a.number
    ]
    disciplines = selectors.engineer_disciplines(user_ids=list(wanted))
    existing = {
        r.assessment_id: r for r in ProfileResult.objects.filter(assessment__in=assessments)
    }
    fresh, changed = [], []
    for assessment in assessments:
        person = person_from(assessment, disciplines.get(assessment.user_id, ""))
        current = existing.get(assessment.pk)
        values = _result_values(scorer, person, current.chosen_pathway if current else "")
        if current is None:
            fresh.append(ProfileResult(assessment=assessment, **values))
        else:
            for name, value in values.items():
                setattr(current, name, value)
            current.computed_at = timezone.now()  # bulk_update skips auto_now
            changed.append(current)
    with transaction.atomic():
        ProfileResult.objects.bulk_create(fresh)
        ProfileResult.objects.bulk_update(
            changed,
            ["engine_version", "readiness", "readiness_gaps", "pathways", "computed_at"],
        )
    return len(assessments)


def results_recompute(*, batch: int = 500) -> int:
    """Re-profile every participant's latest completed assessment with today's engine and demand
    (after a catalogue, engine or demand change).  A few queries per batch, not per person; the
    chosen pathway is kept."""
    scorer = scorer_current()
    latest = (
        Assessment.objects.filter(state=AssessmentState.COMPLETED)
        .values("user_id")
        .annotate(last=Max("number"))
        .order_by("user_id")
    )
    done = 0
    rows = list(latest.values_list("user_id", "last"))
    for start in range(0, len(rows), batch):
        done += _recompute_batch(scorer, dict(rows[start : start + batch]))
    return done


def pathway_choose(*, user: User, slug: str) -> ProfileResult:
    result = selectors.latest_result(user=user)
    if result is None:
        raise NotFound()
    try:
        pathway_get(slug)
    except KeyError:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, _("Choose one of the pathways listed.")
        ) from None
    result.chosen_pathway = slug
    result.save(update_fields=["chosen_pathway"])
    stored = next((p for p in result.pathways if p["slug"] == slug), None)
    if stored is not None and not stored["gaps"] and not stored["support"]:
        result = result_compute(result.assessment)  # detail the chosen pathway for its plan
    return result
