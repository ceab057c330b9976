"""Platform-ready text from a profile, a portfolio and a chosen pathway: a profile title and
overview, three fixed-price packages in the style of catalogue listings, and gig drafts.

The text is for clients abroad, so it is written in English whatever language the engineer uses
the platform in.  It is a draft built from our own templates: the engineer edits it before
pasting it anywhere.  Nothing here invents facts: every claim comes from the engineer's own
profile and case studies, and parts with nothing to say are left out.  Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rabta.engine.pathways import Pathway

TITLE_MAX = 70  # the shortest profile-title limit among the platforms the pathways sell on
GIG_TITLE_MAX = 80
OVERVIEW_MAX = 5000
TAGS_MAX = 5
# Common price ladder for tiered packages: the middle tier is the one most clients buy.
TIERS = (
    ("Basic", 1.0, 1, 1, 3),  # name, price multiple, deliverables, revisions, days
    ("Standard", 2.5, 2, 2, 7),
    ("Premium", 5.0, 3, 3, 14),
)


@dataclass(frozen=True)
class Highlight:
    title: str
    outcome: str


@dataclass(frozen=True)
class ListingInput:
    pathway: Pathway
    discipline: str  # "Civil", "Electrical" ...
    years_experience: int
    pec_verified: bool
    tools: tuple[str, ...]  # the engineer's own tools, best first
    highlights: tuple[Highlight, ...]  # public case studies, best first
    basic_price_usd: int


@dataclass(frozen=True)
class Package:
    name: str
    price_usd: int
    deliverables: tuple[str, ...]
    revisions: int
    delivery_days: int


@dataclass(frozen=True)
class Gig:
    title: str
    description: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class PlatformText:
    title: str
    overview: str
    packages: tuple[Package, ...]
    gigs: tuple[Gig, ...]


def _fit(words: list[str], limit: int, sep: str = " ") -> str:
    """Join as many parts as fit in ``limit`` characters; never cut a part in half."""
    out = ""
    for word in words:
        candidate = f"{out}{sep}{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out


def short_tool(name: str) -> str:
    """'Autodesk AutoCAD' -> 'AutoCAD': clients search for the product, not the vendor."""
    parts = name.split()
    vendors = {
        "autodesk",
        "bentley",
        "dassault",
        "systemes",
        "trimble",
        "oracle",
        "microsoft",
        "ansys",
        "esri",
        "csi",
        "pro",
    }
    kept = [p for p in parts if p.lower() not in vendors]
    return " ".join(kept) or name


def _first_sentence(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > limit:
        sentence = _fit(sentence.split(), limit - 1) + "…"
    return sentence


def _tools_for(data: ListingInput) -> list[str]:
    mine = [short_tool(t) for t in data.tools]
    theirs = [short_tool(t) for t in data.pathway.tools]
    ordered = [t for t in mine if t in theirs] + [t for t in mine if t not in theirs]
    return list(dict.fromkeys(ordered or theirs))


def _round5(value: float) -> int:
    return max(5, int(round(value / 5.0)) * 5)


def profile_title(data: ListingInput) -> str:
    tools = _tools_for(data)[:3]
    parts = [f"{data.discipline} Engineer", data.pathway.title]
    title = " | ".join(parts)
    if tools:
        with_tools = f"{title} | {_fit(tools, TITLE_MAX - len(title) - 3, ', ')}"
        if not with_tools.endswith(" | "):
            title = with_tools
    if len(title) > TITLE_MAX:
        title = _fit(parts[::-1], TITLE_MAX, " | ")
    return title


def overview(data: ListingInput) -> str:
    pathway = data.pathway
    registered = " PEC-registered" if data.pec_verified else ""
    plural = "s" if data.years_experience != 1 else ""
    years = (
        f" with {data.years_experience} year{plural} of experience" if data.years_experience else ""
    )
    blocks = [
        f"I am a{registered} {data.discipline.lower()} engineer from Pakistan{years}, "
        f"offering {pathway.title.lower()}. {pathway.summary}",
        "What I deliver:\n" + "\n".join(f"- {d}" for d in pathway.deliverables[:4]),
    ]
    if data.highlights:
        blocks.append(
            "Recent work:\n"
            + "\n".join(
                f"- {h.title}: {_first_sentence(h.outcome)}"
                if h.outcome.strip()
                else f"- {h.title}"
                for h in data.highlights[:3]
            )
        )
    tools = _tools_for(data)
    if tools:
        blocks.append("Tools: " + ", ".join(tools[:8]) + ".")
    blocks.append(
        "How I work: a short written plan before I start, fixed-price milestones funded on the "
        "platform, progress updates every two days, and working hours that overlap with "
        "European, Gulf and US mornings."
    )
    if pathway.needs_local_stamp:
        blocks.append(
            "Where your project needs a locally licensed engineer's stamp, I prepare the work "
            "for your engineer of record to review and stamp."
        )
    blocks.append(
        "Send me your brief or drawings and I will reply with a plan and a first milestone."
    )
    return "\n\n".join(blocks)[:OVERVIEW_MAX]


def packages(data: ListingInput) -> tuple[Package, ...]:
    deliverables = data.pathway.deliverables
    out = []
    for name, multiple, count, revisions, days in TIERS:
        items = tuple(deliverables[:count])
        if name == "Premium":
            items += ("Source files and a short handover call",)
        out.append(
            Package(
                name=name,
                price_usd=_round5(data.basic_price_usd * multiple),
                deliverables=items,
                revisions=revisions,
                delivery_days=days,
            )
        )
    return tuple(out)


def gigs(data: ListingInput) -> tuple[Gig, ...]:
    tags = tuple(
        dict.fromkeys([*_tools_for(data)[:3], *(s.label for s in data.pathway.essential_skills)])
    )[:TAGS_MAX]
    out = []
    for deliverable in data.pathway.deliverables[:3]:
        lowered = deliverable[0].lower() + deliverable[1:]
        title = _fit(f"I will provide {lowered}".split(), GIG_TITLE_MAX)
        description = "\n\n".join(
            [
                f"{deliverable}, by a {data.discipline.lower()} engineer. {data.pathway.summary}",
                "What you get:\n- "
                + "\n- ".join(
                    [deliverable, "Files in the formats you ask for", "One round of revisions"]
                ),
                "What I need from you:\n- Your brief, sketches or existing drawings\n"
                "- The standard or template to follow\n- Your deadline",
                "Please message me before ordering so that we agree the scope.",
            ]
        )
        out.append(Gig(title=title, description=description, tags=tags))
    return tuple(out)


def platform_text(data: ListingInput) -> PlatformText:
    return PlatformText(
        title=profile_title(data),
        overview=overview(data),
        packages=packages(data),
        gigs=gigs(data),
    )
