"""What leaves the platform: JSON Resume, a one-page PDF, platform-ready text, and the
credibility check that says how the portfolio reads to a client.

Every export is built from what a visitor may see (``selectors.items_public``): a private item
or a file that is not cleared never reaches an export, and a redacted item never names its
client.  Contact details are not exported: clients reach the engineer through the platforms.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from jsonschema import Draft4Validator, FormatChecker
from reportlab.platypus import Flowable, Spacer

from rabta.accounts.models import EngineerProfile, VerificationState
from rabta.accounts.reference import Degree, Discipline
from rabta.engine.credibility import CaseStudy, Credibility, PortfolioSnapshot, credibility_score
from rabta.engine.listings import Highlight, ListingInput, PlatformText, platform_text
from rabta.engine.pathways import Pathway
from rabta.engine.pathways import pathway as pathway_get
from rabta.portfolio import selectors
from rabta.portfolio.models import Portfolio, PortfolioItem, Visibility
from rabta.portfolio.pdf import document_build, para
from rabta.profiling import selectors as profiling
from rabta.profiling.models import Level, SkillClaim

SCHEMA_PATH = Path(__file__).parent / "data" / "jsonresume-schema-1.0.1.json"
SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
RESUME_SKILLS_MAX = 15
LEVEL_WORDS = {
    Level.AWARE: "Aware",
    Level.BASIC: "Basic",
    Level.WORKING: "Working",
    Level.EXPERT: "Expert",
}


@cache
def resume_validator() -> Draft4Validator:
    return Draft4Validator(json.loads(SCHEMA_PATH.read_text()), format_checker=FormatChecker())


def public_url(portfolio: Portfolio) -> str:
    return settings.SITE_URL + reverse("portfolio_public", args=[portfolio.slug])


def chosen_pathway(portfolio: Portfolio) -> Pathway | None:
    result = profiling.latest_result(user=portfolio.owner)
    if result is None or not result.chosen_pathway:
        return None
    return pathway_get(result.chosen_pathway)


def _skills(portfolio: Portfolio) -> list[SkillClaim]:
    result = profiling.latest_result(user=portfolio.owner)
    if result is None:
        return []
    return profiling.claims_strongest(assessment=result.assessment, limit=RESUME_SKILLS_MAX)


def _tools(portfolio: Portfolio) -> list[str]:
    result = profiling.latest_result(user=portfolio.owner)
    return list(result.assessment.tools) if result is not None else []


def client_shown(item: PortfolioItem) -> str:
    return item.client if item.visibility == Visibility.PUBLIC else ""


def json_resume(portfolio: Portfolio) -> dict[str, Any]:
    with translation.override("en"):  # read by clients abroad, whatever the page language
        return _json_resume(portfolio)


def _basics(portfolio: Portfolio) -> dict[str, Any]:
    basics: dict[str, Any] = {"name": portfolio.display_name, "location": {"countryCode": "PK"}}
    if portfolio.headline:
        basics["label"] = portfolio.headline
    if portfolio.summary:
        basics["summary"] = portfolio.summary
    if portfolio.published:
        basics["url"] = public_url(portfolio)
    return basics


def _project(item: PortfolioItem) -> dict[str, Any]:
    """A case study as a JSON Resume project: only the fields it has."""
    highlights = [text for text in (item.delivered, item.outcome) if text]
    client = client_shown(item)
    parts: list[tuple[str, Any, Any]] = [  # (key, whether it is there, value)
        ("description", item.problem, item.problem),
        ("highlights", highlights, highlights),
        ("keywords", item.tools, [t.strip() for t in item.tools.split(",") if t.strip()]),
        ("roles", item.role, [item.role]),
        ("entity", client, client),
        ("startDate", item.year, str(item.year)),
    ]
    return {
        "name": item.title,
        "type": "case study",
        **{key: value for key, there, value in parts if there},
    }


def _education(profile: EngineerProfile | None) -> list[dict[str, Any]]:
    if profile is None:
        return []
    return [
        {
            "institution": profile.university,
            "area": str(Discipline(profile.discipline).label),
            "studyType": str(Degree(profile.degree).label),
            "endDate": str(profile.graduation_year),
        }
    ]


def _certificates(portfolio: Portfolio) -> list[dict[str, Any]]:
    return [
        {
            "name": f"Global Engineering Freelance Initiative: {c.application.cohort.name}",
            "issuer": "Pakistan Engineering Council",
            "date": timezone.localtime(c.issued_at).date().isoformat(),  # the reader's day
            "url": settings.SITE_URL + reverse("programme:certificate_verify", args=[c.code]),
        }
        for c in selectors.certificates_of(user=portfolio.owner)
    ]


def _json_resume(portfolio: Portfolio) -> dict[str, Any]:
    resume: dict[str, Any] = {"$schema": SCHEMA_URL, "basics": _basics(portfolio)}
    sections = {
        "projects": [_project(item) for item in selectors.items_public(portfolio=portfolio)],
        "skills": [
            {"name": claim.label, "level": LEVEL_WORDS[Level(claim.level)]}
            for claim in _skills(portfolio)
        ],
        "education": _education(selectors.engineer_profile(user=portfolio.owner)),
        "certificates": _certificates(portfolio),
    }
    resume.update({name: rows for name, rows in sections.items() if rows})
    resume["meta"] = {
        "version": "v1.0.0",
        "lastModified": timezone.now().replace(microsecond=0).isoformat(),
    }
    return resume


def json_resume_errors(resume: dict[str, Any]) -> list[str]:
    return [error.message for error in resume_validator().iter_errors(resume)]


def _item_flow(item: PortfolioItem) -> list[Flowable]:
    """A case study on the one-page resume: its heading, then each part it has."""
    client = client_shown(item)
    heading = (
        item.title + (f" ({client})" if client else "") + (f", {item.year}" if item.year else "")
    )
    flow: list[Flowable] = [para(heading, markup="", style="body")]
    for label, value in (
        ("Problem", item.problem),
        ("Role", item.role),
        ("Delivered", item.delivered),
        ("Outcome", item.outcome),
        ("Tools", item.tools),
    ):
        if value:
            flow.append(para(value, "small", markup=f"<b>{label}:</b> "))
    flow.append(Spacer(1, 4))
    return flow


def resume_pdf(portfolio: Portfolio) -> bytes:
    flow: list[Flowable] = [para(portfolio.display_name, "title")]
    if portfolio.headline:
        flow.append(para(portfolio.headline, markup="<b></b>"))
    if portfolio.summary:
        flow += [Spacer(1, 4), para(portfolio.summary)]
    items = list(selectors.items_public(portfolio=portfolio))
    if items:
        flow.append(para("Selected work", "h2"))
    for item in items:
        flow += _item_flow(item)
    skills = _skills(portfolio)
    if skills:
        flow += [para("Skills", "h2"), para(", ".join(s.label for s in skills), "small")]
    if portfolio.published:
        flow += [Spacer(1, 6), para(public_url(portfolio), "small", markup="<b>Portfolio:</b> ")]
    return document_build(flow, title=portfolio.display_name, one_page=True)


def _snapshot_items(portfolio: Portfolio, items: list[PortfolioItem]) -> tuple[CaseStudy, ...]:
    return tuple(
        CaseStudy(
            title=item.title,
            problem=item.problem,
            role=item.role,
            tools=item.tools,
            delivered=item.delivered,
            outcome=item.outcome,
            skills=frozenset(item.skills),
            attachments=sum(
                1
                for a in item.attachments.all()
                if item.visibility == Visibility.PUBLIC or a.cleared_for_redacted
            ),
            public=item.visibility != Visibility.PRIVATE,
        )
        for item in items
    )


def credibility(portfolio: Portfolio, items: list[PortfolioItem] | None = None) -> Credibility:
    items = items if items is not None else list(selectors.items_for_owner(portfolio=portfolio))
    chosen = chosen_pathway(portfolio)
    pathway_skills = (
        frozenset(s.id for s in (*chosen.essential_skills, *chosen.optional_skills))
        if chosen
        else frozenset()
    )
    return credibility_score(
        PortfolioSnapshot(
            headline=portfolio.headline,
            overview=portfolio.summary,
            items=_snapshot_items(portfolio, items),
            pathway_skills=pathway_skills,
        )
    )


def listing_text(portfolio: Portfolio, chosen: Pathway) -> PlatformText:
    with translation.override("en"):  # read by clients abroad, whatever the page language
        return _listing_text(portfolio, chosen)


def _listing_text(portfolio: Portfolio, chosen: Pathway) -> PlatformText:
    profile = selectors.engineer_profile(user=portfolio.owner)
    items = list(selectors.items_public(portfolio=portfolio))
    return platform_text(
        ListingInput(
            pathway=chosen,
            discipline=str(Discipline(profile.discipline).label).split(" / ")[0]
            if profile
            else "Engineering",
            years_experience=profile.years_experience if profile else 0,
            pec_verified=bool(profile and profile.verification_state == VerificationState.VERIFIED),
            tools=tuple(_tools(portfolio)),
            highlights=tuple(Highlight(item.title, item.outcome) for item in items),
            basic_price_usd=portfolio.basic_price_usd,
        )
    )
