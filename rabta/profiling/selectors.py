"""Reads for career profiling, each scoped to who is asking.  A person reads their own
assessments and results; programme staff read one person's results; analysts read aggregates
that never single a person out.  Other apps read profiling through these functions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from datetime import date, timedelta
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from rabta.accounts.models import EngineerProfile, User
from rabta.core.errors import NotFound
from rabta.core.models import Job
from rabta.core.privacy import suppress
from rabta.core.selectors import job_latest
from rabta.engine import scoring
from rabta.engine.pathways import SkillRef, pathways
from rabta.engine.pathways import pathway as pathway_get
from rabta.engine.postings import tool_aliases as engine_tool_aliases
from rabta.profiling import presenters
from rabta.profiling.models import (
    Assessment,
    AssessmentState,
    EngagementOutcome,
    PathwayPrior,
    Posting,
    PostingImport,
    ProfileResult,
    SkillClaim,
    SkillSuggestion,
    SuggestionState,
    text_fingerprint,
)

DEMAND_WINDOW_DAYS = 90
QUICK_SKILLS = 16  # essential skills of the person's discipline offered as one-click adds
STAFF_PERMISSION = "accounts.view_engineerprofile"
AGGREGATES_PERMISSION = "profiling.view_profiling_aggregates"
PEOPLE_SHOWN_FROM = 10  # fewer assessed people than this and the page does not say how many


# --- the pathway catalogue's tools ---------------------------------------------------------------


@cache
def known_tools() -> dict[str, str]:
    """Tool names the pathways are defined by, keyed by their case-folded spelling."""
    names = {t for p in pathways() for t in (*p.tools, *p.tools_not_in_onet)}
    return {name.casefold(): name for name in sorted(names)}


@cache
def tool_aliases() -> dict[str, str]:
    """What people type for a catalogue tool, read the way the posting classifier reads tool
    names (``rabta.engine.postings.tool_aliases``: "AutoCAD" for "Autodesk AutoCAD").  An alias
    that could mean two tools is left out; full names always count."""
    found: dict[str, set[str]] = {}
    for name in known_tools().values():
        for alias in engine_tool_aliases(name):
            found.setdefault(alias.casefold(), set()).add(name)
    unique = {alias: next(iter(names)) for alias, names in found.items() if len(names) == 1}
    return {**unique, **known_tools()}


# --- a person's own assessments ------------------------------------------------------------------


def engineer_profile(*, user_id: int) -> EngineerProfile | None:
    """The person's own engineer profile, which the assessment needs."""
    return EngineerProfile.objects.filter(user_id=user_id).first()


def engineer_disciplines(*, user_ids: list[int]) -> dict[int, str]:
    return dict(
        EngineerProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "discipline")
    )


def assessment_for(*, user: User) -> Assessment | None:
    """The person's assessment in progress, if any."""
    return Assessment.objects.filter(user=user, state=AssessmentState.IN_PROGRESS).first()


def assessment_get(*, user: User, number: int) -> Assessment:
    found = Assessment.objects.filter(user=user, number=number).first()
    if found is None:
        raise NotFound()
    return found


def assessments_completed_of(*, user_id: Any) -> QuerySet[Assessment]:
    """The completed assessments of ``user_id``, which may be an ``OuterRef`` so that another
    app can mark its rows with one subquery rather than a query per row."""
    return Assessment.objects.filter(user_id=user_id, state=AssessmentState.COMPLETED)


def assessment_last_completed(*, user: User) -> Assessment | None:
    """The person's latest completed assessment, with its result when it has one."""
    return (
        Assessment.objects.filter(user=user, state=AssessmentState.COMPLETED)
        .select_related("result")
        .order_by("-number")
        .first()
    )


def claims(*, assessment: Assessment) -> QuerySet[SkillClaim]:
    return assessment.skills.all()


def claims_strongest(*, assessment: Assessment, limit: int) -> list[SkillClaim]:
    """The person's skills, highest level first: what a resume lists."""
    return list(assessment.skills.order_by("-level", "label")[:limit])


def claim_count(*, assessment: Assessment) -> int:
    return assessment.skills.count()


def suggestions_pending(*, assessment: Assessment) -> QuerySet[SkillSuggestion]:
    return assessment.suggestions.filter(state=SuggestionState.PENDING)


def suggestions_decided(*, assessment: Assessment) -> QuerySet[SkillSuggestion]:
    return assessment.suggestions.exclude(state=SuggestionState.PENDING)


# How long the page waits for a worker's suggestions before it stops asking and says so: far
# beyond a worker's answer (a tenth of a second, a few seconds while a worker starts), short of
# leaving a person watching a page that will not change (no worker running).
SUGGESTIONS_PATIENCE = timedelta(minutes=2)


def suggestions_status(*, assessment: Assessment) -> str:
    """Where the suggestions for the person's current text are: ``"working"`` (a worker is on
    it), ``"late"`` (asked too long ago: no worker answered), ``"done"`` (stored, possibly none
    new) or ``""`` (not asked for)."""
    if assessment.suggestions_asked_at is not None:
        late = timezone.now() - assessment.suggestions_asked_at > SUGGESTIONS_PATIENCE
        return "late" if late else "working"
    text = assessment.experience_text
    if text and assessment.suggestions_text == text_fingerprint(text):
        return "done"
    return ""


def quick_skills(*, user: User, assessment: Assessment) -> list[SkillRef]:
    """The essential skills of the pathways open to the person's discipline that they have not
    listed yet, in catalogue order, each once."""
    profile = engineer_profile(user_id=user.pk)
    if profile is None:
        return []
    held = {c.skill_id for c in assessment.skills.all()}
    quick: dict[str, SkillRef] = {}
    for p in pathways():
        if profile.discipline not in p.disciplines:
            continue
        for ref in p.essential_skills:
            if ref.id not in held:
                quick.setdefault(ref.id, ref)
    return list(quick.values())[:QUICK_SKILLS]


# --- results -------------------------------------------------------------------------------------


def latest_result(*, user: User) -> ProfileResult | None:
    """The result of the person's latest completed assessment."""
    return (
        ProfileResult.objects.filter(
            assessment__user=user, assessment__state=AssessmentState.COMPLETED
        )
        .select_related("assessment")
        .order_by("-assessment__number")
        .first()
    )


def result_previous(*, result: ProfileResult) -> ProfileResult | None:
    """The result before ``result`` of the same person, to show progress against."""
    assessment = result.assessment
    return (
        ProfileResult.objects.filter(
            assessment__user_id=assessment.user_id,
            assessment__number__lt=assessment.number,
            assessment__state=AssessmentState.COMPLETED,
        )
        .order_by("-assessment__number")
        .first()
    )


def result_get_for_staff(*, user: User, person_id: int) -> ProfileResult:
    """One person's latest result, for programme staff only (the page audits the read)."""
    if not user.has_perm(STAFF_PERMISSION):
        raise PermissionDenied
    found = (
        ProfileResult.objects.filter(
            assessment__user_id=person_id, assessment__state=AssessmentState.COMPLETED
        )
        .select_related("assessment", "assessment__user")
        .order_by("-assessment__number")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def first_engagement_reported(*, user: User) -> bool:
    return EngagementOutcome.objects.filter(user=user).exists()


# --- demand --------------------------------------------------------------------------------------


def demand_current(*, today: date | None = None) -> dict[str, float]:
    """Each pathway's demand: its calibrated prior blended with the postings of the last
    ninety days (``scoring.blend_demand``)."""
    priors = {p.slug: p.demand_prior for p in pathways()}
    priors.update(dict(PathwayPrior.objects.values_list("slug", "prior")))
    since = (today or timezone.localdate()) - timedelta(days=DEMAND_WINDOW_DAYS)
    counts = dict(
        Posting.objects.filter(posted_on__gte=since)
        .exclude(pathway="")
        .values_list("pathway")
        .annotate(n=Count("id"))
        .values_list("pathway", "n")
    )
    return scoring.blend_demand(priors, counts)


def demand_by_month(*, months: int = 6) -> list[dict[str, Any]]:
    """Classified postings per pathway per month, newest month first."""
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - (months - 1), 12)
    start = date(year, month + 1, 1)
    rows = (
        Posting.objects.filter(posted_on__gte=start)
        .exclude(pathway="")
        .annotate(month=TruncMonth("posted_on"))
        .values("month", "pathway")
        .annotate(n=Count("id"))
        .order_by("-month", "-n", "pathway")
    )
    return [dict(row) for row in rows]


def postings_overview() -> dict[str, Any]:
    """What the postings intake page shows beside its form: the latest import job's progress
    and, once it is done, its ``outcome`` (the counts, or the refusal and its lines)."""
    job = job_latest(task="rabta.profiling.tasks.postings_import_task")
    return {
        "imports": PostingImport.objects.all()[:10],
        "recent": Posting.objects.exclude(pathway="")[:20],
        "demand": demand_by_month(),
        "unclassified": Posting.objects.filter(classified_at__isnull=True).count(),
        "job": job,
        "outcome": job.result if job is not None and job.state == Job.State.SUCCEEDED else {},
    }


# --- aggregates for analysts ---------------------------------------------------------------------


def _table(counts: Counter[str], limit: int = 15) -> list[tuple[str, int | None]]:
    cells: dict[Hashable, int] = dict(counts.items())
    shown = suppress(cells)
    rows = sorted(((str(k), v) for k, v in shown.items()), key=lambda kv: (-(kv[1] or 0), kv[0]))
    return rows[:limit]


def _latest_rows() -> list[dict[str, Any]]:
    """Each person's latest completed result, as the aggregates need it."""
    latest: dict[int, dict[str, Any]] = {}
    for row in (
        ProfileResult.objects.filter(assessment__state=AssessmentState.COMPLETED)
        .order_by("assessment__user_id", "assessment__number")
        .values("assessment__user_id", "pathways", "chosen_pathway", "readiness_gaps")
    ):
        latest[row["assessment__user_id"]] = dict(row)
    return list(latest.values())


def aggregates(*, user: User) -> dict[str, Any]:
    """Aggregates of everyone's latest results for analysts: the best-fitting and chosen
    pathways, the essential skills most missed and the readiness gaps, each count below the
    privacy threshold hidden.  Never a person."""
    if not user.has_perm(AGGREGATES_PERMISSION):
        raise PermissionDenied
    latest = _latest_rows()
    top: Counter[str] = Counter()
    chosen: Counter[str] = Counter()
    gaps: Counter[str] = Counter()
    readiness: Counter[str] = Counter()
    for row in latest:
        if row["pathways"]:
            first = row["pathways"][0]
            top[first["title"]] += 1
            gaps.update(gap["label"] for gap in first["gaps"][:3] if gap["essential"])
        if row["chosen_pathway"]:
            chosen[pathway_get(row["chosen_pathway"]).title] += 1
        readiness.update(row["readiness_gaps"])
    labels = {g: presenters.readiness_action(g) for g in readiness}
    return {
        "people": len(latest) if len(latest) >= PEOPLE_SHOWN_FROM else None,
        "top": _table(top),
        "chosen": _table(chosen),
        "gaps": _table(gaps),
        "readiness": [(labels[k], v) for k, v in _table(readiness)],
        "demand": demand_by_month(),
    }
