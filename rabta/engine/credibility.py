"""How credible a portfolio looks to a client abroad, as a score out of 100 with the checklist
that explains it.

Clients on freelance platforms decide in seconds, on the headline, the overview and two or three
case studies.  What they look for is well known: work like theirs, with numbers, with evidence,
in a profile that keeps to the platform's rules.  Each check below is one of those things; its
points are earned in full or in part, and a check that is not met says how to meet it.  Only what
a client would see counts: private items are left out.  Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rabta.engine.contact import contact_details

# Points per check; they add up to 100.
WEIGHTS: dict[str, int] = {
    "headline": 10,
    "overview": 10,
    "case_studies": 20,
    "quantified": 15,
    "evidence": 15,
    "pathway_skills": 15,
    "no_contact_details": 10,
    "visible": 5,
}
CASE_STUDIES_WANTED = 3  # what a client scrolls through before deciding
HEADLINE_MIN, HEADLINE_MAX = 20, 120
OVERVIEW_MIN = 300
PATHWAY_SKILLS_WANTED = 3

# A number with a unit or a comparison: "30%", "2 weeks", "$12,000", "from 40 to 12 days".
_QUANTITY = re.compile(
    r"(\d[\d,.]*\s*(%|percent|per ?cent|x\b|times|hours?|days?|weeks?|months?|years?|"
    r"usd|\$|pkr|rs\.?|kw|mw|kwh|m2|m²|m3|m³|sq\.? ?ft|tons?|tonnes?|kg|km|m\b|mm|units?|"
    r"drawings?|sheets?|models?|clients?|projects?|users?|buildings?|floors?))"
    r"|((\$|usd|pkr|rs\.?)\s*\d)",
    re.IGNORECASE,
)
# Headlines that say nothing a client can search for.
_VAGUE_HEADLINES = re.compile(
    r"^\s*(engineer|freelancer|hard[- ]?working|expert|professional|looking for work)\b.{0,15}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CaseStudy:
    title: str
    problem: str
    role: str
    tools: str
    delivered: str
    outcome: str
    skills: frozenset[str]
    attachments: int
    public: bool  # shown on the public page (in full or redacted)


@dataclass(frozen=True)
class PortfolioSnapshot:
    headline: str
    overview: str
    items: tuple[CaseStudy, ...]
    pathway_skills: frozenset[str] = frozenset()  # the chosen pathway's skills; empty if none


@dataclass(frozen=True)
class Check:
    code: str
    points: float
    max_points: int
    detail: dict[str, int]  # numbers for the explanation, e.g. {"have": 1, "want": 3}

    @property
    def met(self) -> bool:
        return self.points >= self.max_points


@dataclass(frozen=True)
class Credibility:
    score: int
    checks: tuple[Check, ...]


def case_study_complete(item: CaseStudy) -> bool:
    return all(
        text.strip()
        for text in (item.title, item.problem, item.role, item.tools, item.delivered, item.outcome)
    )


def quantified(text: str) -> bool:
    return bool(_QUANTITY.search(text))


def _share(have: int, want: int) -> float:
    return min(have, want) / want if want else 0.0


def credibility_score(snapshot: PortfolioSnapshot) -> Credibility:
    shown = [item for item in snapshot.items if item.public]
    headline = snapshot.headline.strip()
    overview = snapshot.overview.strip()
    checks = (
        *_profile_checks(headline, overview),
        *_case_study_checks(shown),
        _pathway_skills_check(shown, snapshot.pathway_skills),
        _contact_check([headline, overview, *_item_texts(shown)]),
        _check("visible", 1.0 if shown else 0.0, have=len(shown)),
    )
    score = round(sum(check.points for check in checks))
    return Credibility(score=score, checks=checks)


def _check(code: str, share: float, **detail: int) -> Check:
    """The check ``code`` with ``share`` (0..1) of its points earned."""
    return Check(code, round(WEIGHTS[code] * share, 1), WEIGHTS[code], detail)


def _profile_checks(headline: str, overview: str) -> tuple[Check, Check]:
    """The headline and the overview: what a client reads before any case study."""
    return (
        _check("headline", 1.0 if _headline_ok(headline) else 0.0, length=len(headline)),
        _check(
            "overview",
            _share(len(overview), OVERVIEW_MIN),
            length=len(overview),
            want=OVERVIEW_MIN,
        ),
    )


def _case_study_checks(shown: list[CaseStudy]) -> tuple[Check, Check, Check]:
    """Complete case studies, outcomes with numbers, and attached evidence."""
    return (
        _count_check("case_studies", sum(1 for item in shown if case_study_complete(item))),
        _count_check("quantified", sum(1 for item in shown if quantified(item.outcome))),
        _count_check("evidence", sum(1 for item in shown if item.attachments > 0)),
    )


def _count_check(code: str, have: int) -> Check:
    """A check met by as many shown case studies as a client looks through."""
    return _check(code, _share(have, CASE_STUDIES_WANTED), have=have, want=CASE_STUDIES_WANTED)


def _headline_ok(headline: str) -> bool:
    """Long enough to say something, short enough to read, and not a vague label."""
    return HEADLINE_MIN <= len(headline) <= HEADLINE_MAX and not _VAGUE_HEADLINES.match(headline)


def _pathway_skills_check(shown: list[CaseStudy], pathway_skills: frozenset[str]) -> Check:
    """How many of the chosen pathway's skills the shown items demonstrate; nothing is earned
    without a chosen pathway."""
    if not pathway_skills:
        return _check("pathway_skills", 0.0, have=0, want=PATHWAY_SKILLS_WANTED, no_pathway=1)
    matched = len(set().union(*(item.skills for item in shown)) & pathway_skills) if shown else 0
    return _check(
        "pathway_skills",
        _share(matched, PATHWAY_SKILLS_WANTED),
        have=matched,
        want=PATHWAY_SKILLS_WANTED,
    )


def _item_texts(shown: list[CaseStudy]) -> list[str]:
    """Every text field of the shown items, as a client reads them."""
    return [
        text
        for item in shown
        for text in (item.title, item.problem, item.role, item.tools, item.delivered, item.outcome)
    ]


def _contact_check(texts: list[str]) -> Check:
    """Met only when no visible text carries a contact detail."""
    found = sum(len(contact_details(text)) for text in texts)
    return _check("no_contact_details", 0.0 if found else 1.0, found=found)
