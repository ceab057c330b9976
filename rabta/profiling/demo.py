"""Demo data for career profiling: completed assessments for a share of the demo engineers
(each built around a pathway of their discipline, with its skills, tools and interests, so the
results look like real people's), reported first engagements, and job postings written from the
pathways' deliverables, classified like imported ones."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from rabta.accounts.models import EngineerProfile
from rabta.engine.interests import PATHWAY_THEMES
from rabta.engine.pathways import Pathway, pathways
from rabta.profiling import services
from rabta.profiling.inventory import ITEMS
from rabta.profiling.models import (
    COLLABORATION_TOOLS,
    FREELANCE_PROFILES,
    PROFESSIONAL_PROFILES,
    Assessment,
    AssessmentState,
    EngagementOutcome,
    Posting,
    PostingImport,
    ProfileResult,
    SkillClaim,
    Step,
)
from rabta.profiling.services.postings import postings_classify

STEPS_DONE = [step.value for step in Step]
POSTING_SOURCES = ("upwork", "freelancer", "fiverr", "peopleperhour")


def _assessment(rng: random.Random, user_id: int, chosen: Pathway, now: datetime) -> Assessment:
    themes = PATHWAY_THEMES[chosen.slug]
    return Assessment(
        user_id=user_id,
        number=1,
        state=AssessmentState.COMPLETED,
        step=Step.GOALS,
        completed_steps=STEPS_DONE,
        tools=rng.sample(list(chosen.tools), k=min(len(chosen.tools), rng.randint(1, 3))),
        english_written=rng.choice((1, 2, 2, 3)),
        english_spoken=rng.choice((1, 1, 2, 3)),
        collaboration_tools=rng.sample(list(COLLABORATION_TOOLS), k=rng.randint(0, 4)),
        payment=rng.choice(("ready", "unsure", "none", "none")),
        online_profiles=rng.sample(
            [*FREELANCE_PROFILES, *PROFESSIONAL_PROFILES], k=rng.randint(0, 2)
        ),
        internet=rng.choice(("reliable", "patchy", "patchy", "poor")),
        power_backup=rng.choice(("none", "ups", "ups", "solar", "generator")),
        hours_per_week=rng.choice((5, 8, 10, 15, 20, 30)),
        interests={
            item.code: max(
                1, min(5, round(2 + 3 * themes.get(item.theme, 0) * 2 + rng.gauss(0, 0.8)))
            )
            for item in ITEMS
        },
        goal=rng.choice(("first_client", "side_income", "full_time", "remote_job")),
        completed_at=now - timedelta(days=rng.randint(1, 120)),
    )


def _claims(rng: random.Random, assessment: Assessment, pick: Pathway) -> list[SkillClaim]:
    """Most of the pathway's essential skills and a few of its optional ones."""
    essential = rng.sample(
        list(pick.essential_skills), k=rng.randint(2, len(pick.essential_skills) - 1)
    )
    optional = rng.sample(list(pick.optional_skills), k=rng.randint(0, 3))
    return [
        SkillClaim(
            assessment=assessment,
            skill_id=ref.id,
            label=ref.label,
            level=rng.choice((2, 3, 3, 4)),
        )
        for ref in {r.id: r for r in (*essential, *optional)}.values()
    ]


def assessments_create(
    rng: random.Random,
    profiles: list[tuple[int, str]],
    now: datetime,
) -> list[Assessment]:
    """A completed first assessment, with skills, for each (user id, discipline)."""
    catalogue = pathways()
    assessments: list[Assessment] = []
    picks: list[Pathway] = []
    for user_id, discipline in profiles:
        options = [p for p in catalogue if discipline in p.disciplines] or list(catalogue)
        pick = rng.choice(options)
        picks.append(pick)
        assessments.append(_assessment(rng, user_id, pick, now))
    Assessment.objects.bulk_create(assessments, batch_size=500)
    by_user = {
        a.user_id: a
        for a in Assessment.objects.filter(user_id__in=[a.user_id for a in assessments], number=1)
    }
    claims = [
        claim
        for assessment, pick in zip(assessments, picks, strict=True)
        for claim in _claims(rng, by_user[assessment.user_id], pick)
    ]
    SkillClaim.objects.bulk_create(claims, batch_size=1000)
    return [by_user[a.user_id] for a in assessments]


def seed_profiling(
    rng: random.Random, *, share: float = 0.06, postings: int = 240
) -> tuple[int, int]:
    """Assess ``share`` of the demo engineers (and the named demo engineer); add postings.
    Returns (assessments, postings)."""
    now = timezone.now()
    profiles = list(EngineerProfile.objects.order_by("pk").values_list("user_id", "discipline"))
    chosen = [p for p in profiles if rng.random() < share or p == profiles[0]]
    saved = assessments_create(rng, chosen, now)
    _postings(rng, pathways(), postings, now)
    services.results_recompute()
    results = {
        r.assessment.user_id: r
        for r in ProfileResult.objects.filter(assessment__in=saved).select_related("assessment")
    }
    outcomes = []
    for user_id, _discipline in chosen:
        result = results[user_id]
        if rng.random() < 0.6:
            result.chosen_pathway = result.pathways[rng.choice((0, 0, 1))]["slug"]
            if rng.random() < 0.2:
                outcomes.append(
                    EngagementOutcome(
                        user_id=user_id,
                        pathway=result.chosen_pathway,
                        platform=rng.choice(
                            ("Upwork", "Fiverr", "Freelancer.com", "Direct client")
                        ),
                        amount_usd=Decimal(rng.choice((40, 75, 120, 250, 400, 900))),
                        won_on=(now - timedelta(days=rng.randint(1, 60))).date(),
                    )
                )
    ProfileResult.objects.bulk_update(results.values(), ["chosen_pathway"])
    EngagementOutcome.objects.bulk_create(outcomes)
    services.priors_recalibrate()
    return len(saved), Posting.objects.count()


def _postings(
    rng: random.Random, catalogue: tuple[Pathway, ...], count: int, now: datetime
) -> None:
    batch = PostingImport.objects.create(file_name="demo postings", rows=count, created=count)
    weights = [0.2 + p.demand_prior for p in catalogue]
    rows = []
    for n in range(count):
        pick = rng.choices(catalogue, weights=weights)[0]
        deliverable = rng.choice(pick.deliverables)
        tools = ", ".join(rng.sample(list(pick.tools), k=min(2, len(pick.tools))))
        title = f"{pick.title}: {deliverable.split('(')[0].strip()}"[:300]
        description = (
            f"We need a freelancer for {deliverable.lower()}. Tools: {tools}. "
            f"Please share similar work in your proposal."
        )
        posted_on = (now - timedelta(days=rng.randint(0, 150))).date()
        rows.append(
            Posting(
                source=rng.choice(POSTING_SOURCES),
                title=title,
                description=description,
                budget_usd=Decimal(rng.choice((50, 100, 150, 300, 500, 1200))),
                posted_on=posted_on,
                digest=hashlib.sha256(f"demo-{n}".encode()).hexdigest(),
                imported_in=batch,
            )
        )
    Posting.objects.bulk_create(rows, batch_size=500)
    postings_classify(import_id=batch.pk)
