"""Pathway scoring: which freelance pathways suit a person, why, what is missing, and how sure
the engine is.  Pure Python and deterministic: the same person and the same demand give the same
result, to the last digit.

The fit of a pathway is a weighted sum of five parts, each in 0..1::

    fit = 0.50 skills + 0.20 interests + 0.15 demand + 0.10 readiness + 0.05 discipline

    skills    = 0.60 essential coverage + 0.20 optional coverage + 0.20 tools
    coverage  = mean over the pathway's skills of the credit the person has for each: the credit
                of their level (aware .35, basic .65, working .90, expert 1.0) for the skill itself,
                or for a closely related skill they hold, scaled by how close it is (a similarity of
                at least RELATED_THRESHOLD, from the shared skill vectors)
    tools     = pathway tools the person uses, two or more count in full
    interests = the person's theme scores weighted by the pathway's themes (neutral .5 unanswered)
    demand    = the pathway's demand (calibrated prior, blended with recent postings: ``demand``)
    readiness = digital readiness (English, payment account, tools, profiles, internet, power,
                hours): the same for every pathway, it moves the fit, not the order

Gaps are the pathway skills the person lacks or holds weakly, ranked by how much working-level
command of each would raise the fit, weighted by demand.  Confidence grows with the evidence
(skills rated, interest items answered) and with the margin to the next pathway.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rabta.engine.interests import PATHWAY_THEMES, THEMES
from rabta.engine.pathways import Pathway, SkillRef

VERSION = "2026.11-1"

LEVEL_CREDIT = {1: 0.35, 2: 0.65, 3: 0.90, 4: 1.0}
GAP_LEVEL = 3  # a gap is valued as if the person reached working level
RELATED_THRESHOLD = 0.70

WEIGHTS = {"skills": 0.50, "interests": 0.20, "demand": 0.15, "readiness": 0.10, "discipline": 0.05}
SKILL_WEIGHTS = {"essential": 0.60, "optional": 0.20, "tools": 0.20}

# similarity(person_skill_ids, pathway_skill_ids) -> rows of similarities in 0..1
Similarity = Callable[[Sequence[str], Sequence[str]], list[list[float]]]


def exact_similarity(left: Sequence[str], right: Sequence[str]) -> list[list[float]]:
    return [[1.0 if a == b else 0.0 for b in right] for a in left]


# --- digital readiness ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    english_written: int = 0  # 0 none .. 3 fluent
    english_spoken: int = 0
    collaboration_tools: int = 0  # how many remote-collaboration tools the person uses
    payment: str = "none"  # "ready" | "unsure" | "none"
    freelance_profiles: int = 0  # profiles on freelance platforms
    professional_profiles: int = 0  # LinkedIn, GitHub, Behance ...
    internet: str = "poor"  # "reliable" | "patchy" | "poor"
    power_backup: bool = False
    hours_per_week: int = 0


READINESS_PARTS = {
    # part: weight; each part scores 0..1 in readiness_parts()
    "english_written": 0.20,
    "english_spoken": 0.15,
    "payment": 0.20,
    "collaboration": 0.10,
    "profiles": 0.10,
    "internet": 0.10,
    "power": 0.05,
    "hours": 0.10,
}


def readiness_parts(r: Readiness) -> dict[str, float]:
    return {
        "english_written": min(3, max(0, r.english_written)) / 3,
        "english_spoken": min(3, max(0, r.english_spoken)) / 3,
        "payment": {"ready": 1.0, "unsure": 0.4}.get(r.payment, 0.0),
        "collaboration": min(1.0, r.collaboration_tools / 3),
        "profiles": min(1.0, r.freelance_profiles * 0.7 + r.professional_profiles * 0.3),
        "internet": {"reliable": 1.0, "patchy": 0.5}.get(r.internet, 0.1),
        "power": 1.0 if r.power_backup else 0.3,
        "hours": min(1.0, max(0, r.hours_per_week) / 15),
    }


def readiness_score(r: Readiness) -> tuple[float, list[str]]:
    """Overall readiness in 0..1 and the parts that hold it back most (weakest first)."""
    parts = readiness_parts(r)
    score = sum(READINESS_PARTS[name] * value for name, value in parts.items())
    gaps = sorted(
        (name for name, value in parts.items() if value < 0.7),
        key=lambda name: (-(1 - parts[name]) * READINESS_PARTS[name], name),
    )
    return round(score, 4), gaps


# --- the person and the result -------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    skills: Mapping[str, int]  # ESCO skill id -> level 1..4
    tools: frozenset[str] = frozenset()
    interests: Mapping[str, float] = field(default_factory=dict)  # theme -> 0..1 (answered only)
    readiness: Readiness = Readiness()
    discipline: str = ""


@dataclass(frozen=True)
class Support:
    skill: SkillRef  # the pathway's skill
    via: str  # the person's skill id that earns the credit (the same id when exact)
    level: int
    credit: float
    essential: bool


@dataclass(frozen=True)
class Gap:
    skill: SkillRef
    essential: bool
    gain: float  # how much the fit would rise at working level
    priority: float  # gain weighted by demand: the ranking key


@dataclass(frozen=True)
class PathwayScore:
    slug: str
    title: str
    fit: float
    parts: dict[str, float]
    support: tuple[Support, ...]
    tools: tuple[str, ...]
    gaps: tuple[Gap, ...]
    confidence: float = 0.0

    @property
    def confidence_level(self) -> str:
        if self.confidence >= 0.7:
            return "high"
        return "medium" if self.confidence >= 0.45 else "low"


def interest_scores(answers: Mapping[str, Iterable[int]], scale: int = 5) -> dict[str, float]:
    """Theme scores in 0..1 from Likert answers (1..scale) grouped by theme."""
    result = {}
    for theme, values in answers.items():
        values = list(values)
        if values and theme in THEMES:
            result[theme] = round((sum(values) / len(values) - 1) / (scale - 1), 4)
    return result


_NO_CREDIT = (0.0, "", 0)  # (credit, via, level) for a skill the person earns nothing for


def _tools_used(person: Person, pathway: Pathway) -> tuple[str, ...]:
    """The pathway's tools the person uses, as the pathway spells them, sorted; matched without
    regard to case."""
    pathway_tools = {t.casefold(): t for t in (*pathway.tools, *pathway.tools_not_in_onet)}
    return tuple(
        sorted(pathway_tools[t.casefold()] for t in person.tools if t.casefold() in pathway_tools)
    )


def _interest_fit(person: Person, pathway: Pathway) -> float:
    """The person's theme scores weighted by the pathway's themes, over the themes answered;
    a neutral .5 when none is."""
    themes = PATHWAY_THEMES.get(pathway.slug, {})
    answered = {t: w for t, w in themes.items() if t in person.interests}
    if not answered:
        return 0.5
    return sum(w * person.interests[t] for t, w in answered.items()) / sum(answered.values())


def _support(
    pathway: Pathway,
    ess: list[tuple[float, str, int]],
    opt: list[tuple[float, str, int]],
) -> tuple[Support, ...]:
    """The pathway skills the person earns credit for, essential ones first."""
    return tuple(
        Support(ref, via, level, round(credit, 4), essential)
        for essential, refs, earned in (
            (True, pathway.essential_skills, ess),
            (False, pathway.optional_skills, opt),
        )
        for ref, (credit, via, level) in zip(refs, earned, strict=True)
        if credit > 0
    )


class Scorer:
    def __init__(
        self,
        catalogue: Sequence[Pathway],
        *,
        similarity: Similarity = exact_similarity,
        demand: Mapping[str, float] | None = None,
    ) -> None:
        self.catalogue = tuple(catalogue)
        self.similarity = similarity
        self.demand = {p.slug: (demand or {}).get(p.slug, p.demand_prior) for p in self.catalogue}
        self._skill_ids = sorted(
            {r.id for p in self.catalogue for r in (*p.essential_skills, *p.optional_skills)}
        )

    def best_credits(
        self, person: Person, ids: Sequence[str] | None = None
    ) -> dict[str, tuple[float, str, int]]:
        """For every skill any pathway names, the best credit the person earns for it and
        through which of their skills: (credit, via, level).  One similarity call per person."""
        held = sorted(person.skills)
        targets = self._skill_ids if ids is None else list(ids)
        if not held or not targets:
            return {}
        matrix = self.similarity(held, targets)
        # An exact match always counts; a related skill only from the threshold up.
        floor = min(1.0, RELATED_THRESHOLD)
        result: dict[str, tuple[float, str, int]] = {}
        for column, target in enumerate(targets):
            best = (0.0, "", 0)
            for row, skill_id in enumerate(held):
                closeness = 1.0 if skill_id == target else matrix[row][column]
                if closeness < floor:
                    continue
                level = person.skills[skill_id]
                credit = LEVEL_CREDIT.get(level, 0.0) * closeness
                if credit > best[0] + 1e-12:
                    best = (credit, skill_id, level)
            if best[0] > 0:
                result[target] = best
        return result

    def _fit(
        self,
        pathway: Pathway,
        essential: list[float],
        optional: list[float],
        tools: int,
        rest: dict,
    ) -> tuple[float, dict[str, float]]:
        coverage_e = sum(essential) / len(essential) if essential else 0.0
        coverage_o = sum(optional) / len(optional) if optional else 0.0
        tools_part = min(1.0, tools / 2)
        skills = (
            SKILL_WEIGHTS["essential"] * coverage_e
            + SKILL_WEIGHTS["optional"] * coverage_o
            + SKILL_WEIGHTS["tools"] * tools_part
        )
        parts = {
            "skills": skills,
            "essential": coverage_e,
            "optional": coverage_o,
            "tools": tools_part,
            **rest,
        }
        fit = sum(WEIGHTS[name] * parts[name] for name in WEIGHTS)
        return fit, parts

    def score_one(
        self,
        person: Person,
        pathway: Pathway,
        readiness: float,
        credits: Mapping[str, tuple[float, str, int]] | None = None,
    ) -> PathwayScore:
        if credits is None:
            ids = [r.id for r in (*pathway.essential_skills, *pathway.optional_skills)]
            credits = self.best_credits(person, ids)
        ess = [credits.get(ref.id, _NO_CREDIT) for ref in pathway.essential_skills]
        opt = [credits.get(ref.id, _NO_CREDIT) for ref in pathway.optional_skills]
        used = _tools_used(person, pathway)
        rest = {
            "interests": _interest_fit(person, pathway),
            "demand": self.demand[pathway.slug],
            "readiness": readiness,
            "discipline": 1.0 if person.discipline in pathway.disciplines else 0.0,
        }
        e_credit = [c for c, _, _ in ess]
        o_credit = [c for c, _, _ in opt]
        fit, parts = self._fit(pathway, e_credit, o_credit, len(used), rest)
        gaps = self._gaps(pathway, e_credit, o_credit, len(used), rest, fit)
        gaps.sort(key=lambda g: (-g.priority, not g.essential, g.skill.label))
        return PathwayScore(
            pathway.slug,
            pathway.title,
            round(fit, 4),
            {name: round(value, 4) for name, value in parts.items()},
            _support(pathway, ess, opt),
            used,
            tuple(gaps),
        )

    def _gaps(
        self,
        pathway: Pathway,
        e_credit: list[float],
        o_credit: list[float],
        tools: int,
        rest: dict,
        fit: float,
    ) -> list[Gap]:
        """Every pathway skill held below working level, valued by how much the fit would rise
        if the person reached it (unsorted)."""
        gaps = []
        target = LEVEL_CREDIT[GAP_LEVEL]
        for essential, refs, current in (
            (True, pathway.essential_skills, e_credit),
            (False, pathway.optional_skills, o_credit),
        ):
            for index, ref in enumerate(refs):
                if current[index] >= target:
                    continue
                raised = list(current)
                raised[index] = target
                new_fit, _ = (
                    self._fit(pathway, raised, o_credit, tools, rest)
                    if essential
                    else self._fit(pathway, e_credit, raised, tools, rest)
                )
                gain = new_fit - fit
                gaps.append(
                    Gap(ref, essential, round(gain, 4), round(gain * (0.5 + rest["demand"]), 6))
                )
        return gaps

    def score(self, person: Person) -> list[PathwayScore]:
        """Every pathway, best fit first, each with its confidence."""
        readiness, _ = readiness_score(person.readiness)
        credits = self.best_credits(person)
        scores = sorted(
            (self.score_one(person, p, readiness, credits) for p in self.catalogue),
            key=lambda s: (-s.fit, s.slug),
        )
        evidence = 0.45 * min(1.0, len(person.skills) / 8) + 0.25 * (
            len([t for t in THEMES if t in person.interests]) / len(THEMES)
        )
        result = []
        for index, item in enumerate(scores):
            below = scores[index + 1].fit if index + 1 < len(scores) else 0.0
            margin = min(1.0, (item.fit - below) / 0.05)
            coverage = min(1.0, len(item.support) / 4)
            confidence = evidence + 0.15 * margin + 0.15 * coverage
            result.append(PathwayScore(**{**item.__dict__, "confidence": round(confidence, 4)}))
        return result


# --- demand and calibration ----------------------------------------------------------------------


def calibrate(
    priors: Mapping[str, float],
    chosen: Mapping[str, int],
    won: Mapping[str, int],
    *,
    strength: float = 20.0,
    bounds: tuple[float, float] = (0.5, 1.5),
) -> dict[str, float]:
    """Update demand priors from recorded outcomes (empirical Bayes shrinkage).

    ``chosen[p]`` is how many participants pursued pathway ``p`` and ``won[p]`` how many of them
    reported a first engagement in it.  Each pathway's success rate is shrunk towards the overall
    rate ``r`` with ``strength`` pseudo-participants: ``r_p = (won_p + strength * r) /
    (chosen_p + strength)``.  The prior is multiplied by ``r_p / r``, kept within ``bounds`` so that
    a handful of outcomes cannot swamp the market evidence, and capped at 1.  With no outcomes
    every prior is unchanged.
    """
    total_chosen = sum(chosen.values())
    total_won = sum(min(won.get(p, 0), chosen.get(p, 0)) for p in chosen)
    if total_chosen == 0 or total_won == 0:
        return dict(priors)
    overall = total_won / total_chosen
    result = {}
    for slug, prior in priors.items():
        n, s = chosen.get(slug, 0), min(won.get(slug, 0), chosen.get(slug, 0))
        rate = (s + strength * overall) / (n + strength)
        factor = min(bounds[1], max(bounds[0], rate / overall))
        result[slug] = round(min(1.0, prior * factor), 4)
    return result


def blend_demand(
    priors: Mapping[str, float], postings: Mapping[str, int], *, minimum: int = 30
) -> dict[str, float]:
    """Demand per pathway: the (calibrated) prior, blended half and half with the recent postings
    classified into each pathway on the same log scale as the prior, once at least ``minimum``
    postings have been classified.  Fewer postings than that are noise, and the prior stands."""
    total = sum(postings.values())
    if total < minimum:
        return dict(priors)
    top = math.log1p(max(postings.values()))
    return {
        slug: round(0.5 * prior + 0.5 * math.log1p(postings.get(slug, 0)) / top, 4)
        for slug, prior in priors.items()
    }
