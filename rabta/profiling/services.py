"""Writes for career profiling.  Every function takes the acting user and fetches the
assessment through them: nobody can change another person's assessment by guessing an id."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import EngineerProfile, User
from rabta.accounts.services import engineer_dimensions
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.models import Event
from rabta.core.services import event_record
from rabta.engine import scoring
from rabta.engine.pathways import pathway as pathway_get
from rabta.engine.pathways import pathways
from rabta.engine.postings import tool_aliases as engine_tool_aliases
from rabta.engine.taxonomy import taxonomy
from rabta.profiling.inventory import BY_CODE, theme_answers
from rabta.profiling.linker import skill_linker
from rabta.profiling.models import (
    MAX_EXPERIENCE_CHARS,
    MAX_SKILLS,
    STEPS,
    Assessment,
    AssessmentState,
    EngagementOutcome,
    PathwayPrior,
    Posting,
    ProfileResult,
    SkillClaim,
    SkillSource,
    SkillSuggestion,
    SuggestionState,
)
from rabta.profiling.similarity import skill_similarity

MAX_TOOLS = 40
MAX_TOOL_CHARS = 80
SUGGESTIONS_PER_TEXT = 12
DEMAND_WINDOW_DAYS = 90

COLLABORATION_TOOLS = (
    "Zoom",
    "Google Meet",
    "Microsoft Teams",
    "Slack",
    "Google Workspace",
    "Microsoft 365",
    "Git / GitHub",
    "Trello, Jira or Asana",
    "Dropbox or OneDrive",
)
FREELANCE_PROFILES = ("Upwork", "Fiverr", "Freelancer.com", "PeoplePerHour", "Toptal", "Guru")
PROFESSIONAL_PROFILES = ("LinkedIn", "GitHub", "Behance", "Personal website")


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


# --- the assessment ------------------------------------------------------------------------------


def assessment_for(*, user: User) -> Assessment | None:
    """The person's assessment in progress, if any."""
    return Assessment.objects.filter(user=user, state=AssessmentState.IN_PROGRESS).first()


def assessment_get(*, user: User, number: int) -> Assessment:
    found = Assessment.objects.filter(user=user, number=number).first()
    if found is None:
        raise NotFound()
    return found


def _engineer(user: User) -> EngineerProfile:
    profile = EngineerProfile.objects.filter(user=user).first()
    if profile is None:
        raise DomainError(
            ErrorCode.PROFILE_MISSING, _("Create your engineer profile before the assessment.")
        )
    return profile


@transaction.atomic
def assessment_start(*, user: User) -> Assessment:
    """Resume the assessment in progress or start a new one.  A re-assessment starts from the
    answers of the last completed one, so the person only changes what changed."""
    _engineer(user)
    current = assessment_for(user=user)
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
        for name in (
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
        ):
            setattr(fresh, name, getattr(last, name))
    try:
        with transaction.atomic():
            fresh.save()
    except IntegrityError:  # a second tab started one at the same moment
        found = assessment_for(user=user)
        if found is None:
            raise
        return found
    if last is not None:
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
    return fresh


def _editable(user: User) -> Assessment:
    current = assessment_for(user=user)
    if current is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Start an assessment first: it may have been finished.")
        )
    return current


def _step_done(assessment: Assessment, step: str) -> None:
    done = list(assessment.completed_steps)
    if step not in done:
        done.append(step)
    assessment.completed_steps = [s for s in STEPS if s in done]
    following = [s for s in STEPS if s not in assessment.completed_steps]
    assessment.step = following[0] if following else step


def skill_add(*, user: User, skill_id: str, level: int = 2) -> SkillClaim:
    assessment = _editable(user)
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
    assessment = _editable(user)
    deleted, _rows = assessment.skills.filter(skill_id=skill_id).delete()
    return deleted


def skills_done(*, user: User) -> Assessment:
    assessment = _editable(user)
    if not assessment.skills.exists():
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Add at least one skill, or describe your experience on the next step."),
        )
    _step_done(assessment, "skills")
    assessment.save(update_fields=["step", "completed_steps", "updated_at"])
    return assessment


def experience_save(*, user: User, text: str) -> list[SkillSuggestion]:
    """Keep the text and suggest the skills it mentions.  Skills the person already listed or
    rejected before are not suggested again."""
    assessment = _editable(user)
    text = text.strip()
    if len(text) > MAX_EXPERIENCE_CHARS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Please shorten the text to %(n)d characters.") % {"n": MAX_EXPERIENCE_CHARS},
            fields={"text": [_("Too long.")]},
        )
    assessment.experience_text = text
    _step_done(assessment, "experience")
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
    assessment = _editable(user)
    suggestion = assessment.suggestions.filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound()
    suggestion.state = SuggestionState.CONFIRMED if confirm else SuggestionState.REJECTED
    suggestion.save(update_fields=["state"])
    if confirm:
        claim = skill_add(user=user, skill_id=suggestion.skill_id, level=level)
        if claim.source != SkillSource.TEXT:
            claim.source = SkillSource.TEXT
            claim.save(update_fields=["source"])
    else:
        assessment.skills.filter(skill_id=suggestion.skill_id, source=SkillSource.TEXT).delete()


def tools_save(*, user: User, tools: list[str], final: bool = False) -> list[str]:
    assessment = _editable(user)
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
        name = tool_aliases().get(name.casefold(), name)
        if name.casefold() not in {c.casefold() for c in cleaned}:
            cleaned.append(name)
    if len(cleaned) > MAX_TOOLS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("List up to %(n)d tools, the ones you use most.") % {"n": MAX_TOOLS},
            fields={"tools": [_("Too many.")]},
        )
    assessment.tools = cleaned
    if final:
        _step_done(assessment, "tools")
    assessment.save(update_fields=["tools", "step", "completed_steps", "updated_at"])
    return cleaned


def answers_save(*, user: User, step: str, data: dict[str, Any], final: bool) -> Assessment:
    """Save the digital, interests or goals step.  Autosave sends partial answers (final=False);
    the step counts as done only when submitted complete."""
    return _answers_apply(_editable(user), step, data, final)


def _answers_apply(
    assessment: Assessment, step: str, data: dict[str, Any], final: bool
) -> Assessment:
    for name, value in data.items():
        setattr(assessment, name, value)
    if final:
        _step_done(assessment, step)
    assessment.save()
    return assessment


def interests_save(*, user: User, answers: dict[str, int], final: bool) -> Assessment:
    clean = {
        code: int(v) for code, v in answers.items() if code in BY_CODE and v in (1, 2, 3, 4, 5)
    }
    assessment = _editable(user)
    merged = {**assessment.interests, **clean}
    if final and len(merged) < len(BY_CODE):
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Please answer every statement: %(n)d are still open.")
            % {"n": len(BY_CODE) - len(merged)},
        )
    return _answers_apply(assessment, "interests", {"interests": merged}, final)


# --- results -------------------------------------------------------------------------------------


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


def scorer_current() -> scoring.Scorer:
    """A scorer with today's demand; build one per batch when scoring many people."""
    return scoring.Scorer(pathways(), similarity=skill_similarity(), demand=demand_current())


DETAILED = 10  # pathways stored with their reasons and gaps; the rest with fit only


def _stored(ranked: list[scoring.PathwayScore], keep: str = "") -> list[dict[str, Any]]:
    """The ranked pathways as stored; ``keep`` (the chosen pathway) is detailed wherever it
    ranks, since its plan is built from its gaps."""
    t = taxonomy()
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
            row["support"] = [
                {
                    "label": x.skill.label,
                    "id": x.skill.id,
                    "via": x.via,
                    "via_label": t.skill(x.via).label if x.via else "",
                    "level": x.level,
                    "essential": x.essential,
                }
                for x in s.support
            ]
            row["gaps"] = [
                {"label": g.skill.label, "id": g.skill.id, "essential": g.essential, "gain": g.gain}
                for g in s.gaps[:8]
            ]
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
    profile = EngineerProfile.objects.filter(user_id=assessment.user_id).first()
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
        chunk = rows[start : start + batch]
        wanted = dict(chunk)
        assessments = [
            a
            for a in Assessment.objects.filter(user_id__in=wanted).prefetch_related("skills")
            if wanted[a.user_id] == a.number
        ]
        disciplines = dict(
            EngineerProfile.objects.filter(user_id__in=wanted).values_list("user_id", "discipline")
        )
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
        done += len(assessments)
    return done


@transaction.atomic
def assessment_complete(*, user: User) -> ProfileResult:
    assessment = _editable(user)
    missing = [s for s in STEPS if s not in assessment.completed_steps and s != "experience"]
    if missing:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Some steps are not finished yet."),
            fields={"steps": missing},
        )
    profile = _engineer(user)
    result = result_compute(assessment)
    last = (
        Assessment.objects.filter(user=user, state=AssessmentState.COMPLETED)
        .select_related("result")
        .order_by("-number")
        .first()
    )
    if last is not None and hasattr(last, "result") and last.result.chosen_pathway:
        result.chosen_pathway = last.result.chosen_pathway
        result.save(update_fields=["chosen_pathway"])
    assessment.state = AssessmentState.COMPLETED
    assessment.completed_at = timezone.now()
    assessment.save(update_fields=["state", "completed_at", "updated_at"])
    Event.objects.bulk_create(assessment_events(assessment, profile, result))
    return result


SKILL_GAPS_COUNTED = 5


def assessment_events(
    assessment: Assessment, profile: EngineerProfile | None, result: ProfileResult
) -> list[Event]:
    """The assessment, the essential skills its best-fitting pathway misses (up to five) and
    the digital-readiness parts that hold the person back: what the council's skill-gap
    dashboards count."""
    dims = engineer_dimensions(profile)
    best = result.pathways[0] if result.pathways else None
    pathway = best["slug"] if best else ""
    events = [
        Event(kind="assessed", actor_id=assessment.user_id, pathway=pathway, **dims),
        *(
            Event(kind="profiling.skill_gap", pathway=pathway, item=gap["id"], **dims)
            for gap in [g for g in (best["gaps"] if best else []) if g["essential"]][
                :SKILL_GAPS_COUNTED
            ]
        ),
        *(
            Event(kind="profiling.readiness_gap", pathway=pathway, item=part, **dims)
            for part in result.readiness_gaps
        ),
    ]
    for event in events:
        event.subject_type, event.subject_id = "profiling.assessment", assessment.pk
    return events


def latest_result(*, user: User) -> ProfileResult | None:
    return (
        ProfileResult.objects.filter(
            assessment__user=user, assessment__state=AssessmentState.COMPLETED
        )
        .select_related("assessment")
        .order_by("-assessment__number")
        .first()
    )


def pathway_choose(*, user: User, slug: str) -> ProfileResult:
    result = latest_result(user=user)
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


# --- outcomes and calibration --------------------------------------------------------------------


def outcome_record(
    *, user: User, pathway: str, platform: str, amount_usd: Decimal, won_on: date
) -> EngagementOutcome:
    try:
        pathway_get(pathway)
    except KeyError:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Choose one of the pathways listed."),
            fields={"pathway": [_("Unknown pathway.")]},
        ) from None
    if won_on > timezone.localdate():
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("The date cannot be in the future."),
            fields={"won_on": [_("The date cannot be in the future.")]},
        )
    outcome, _created = EngagementOutcome.objects.update_or_create(
        user=user,
        defaults={
            "pathway": pathway,
            "platform": platform[:60],
            "amount_usd": amount_usd,
            "won_on": won_on,
        },
    )
    profile = EngineerProfile.objects.filter(user=user).first()
    event_record(
        kind="first_engagement",
        actor_id=user.pk,
        subject=outcome,
        # time to the first engagement: days from joining Rabta to the engagement's date
        value=max(0, (won_on - timezone.localdate(user.date_joined)).days),
        **{**engineer_dimensions(profile), "pathway": pathway},
    )
    priors_recalibrate()
    return outcome


def priors_recalibrate() -> dict[str, float]:
    """Recompute every pathway's prior from outcomes (``scoring.calibrate``): participants who
    chose a pathway in their latest results, and first engagements reported in each."""
    latest = (
        ProfileResult.objects.filter(assessment__state=AssessmentState.COMPLETED)
        .values("assessment__user")
        .annotate(last=Max("assessment__number"))
    )
    chosen: Counter[str] = Counter()
    last_by_user = {row["assessment__user"]: row["last"] for row in latest}
    for user_id, number, slug in ProfileResult.objects.filter(
        assessment__user__in=list(last_by_user)
    ).values_list("assessment__user", "assessment__number", "chosen_pathway"):
        if slug and last_by_user.get(user_id) == number:
            chosen[slug] += 1
    won = Counter(EngagementOutcome.objects.values_list("pathway", flat=True))
    for slug, n in won.items():  # a win counts as having pursued the pathway
        chosen[slug] = max(chosen[slug], n)
    base = {p.slug: p.demand_prior for p in pathways()}
    calibrated = scoring.calibrate(base, chosen, won)
    with transaction.atomic():
        for slug, prior in calibrated.items():
            PathwayPrior.objects.update_or_create(
                slug=slug,
                defaults={"prior": prior, "chosen": chosen.get(slug, 0), "won": won.get(slug, 0)},
            )
    return calibrated
