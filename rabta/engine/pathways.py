"""The catalogue of engineering freelance pathways (``data/pathways.json``): what each sells,
the ESCO skills and O*NET tools that define it, where it sells, whether clients abroad need a
local engineer's stamp, and a demand prior.  Pure Python.

The demand prior comes from the open projects Freelancer.com listed for each pathway's skills on
2021-08-09, on a log scale relative to the largest pathway: ``log(1 + n) / log(1 + max n)``.
Web work had thousands of open projects and MEP design a handful, so a linear share would put
every engineering service near zero; the log keeps their order and makes the differences usable.
Recorded outcomes recalibrate these priors as they arrive.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import cache

from rabta.engine.taxonomy import DATA


@dataclass(frozen=True)
class SkillRef:
    id: str
    label: str


@dataclass(frozen=True)
class Market:
    platform: str
    category: str


@dataclass(frozen=True)
class Pathway:
    slug: str
    title: str
    summary: str
    disciplines: tuple[str, ...]
    essential_skills: tuple[SkillRef, ...]
    optional_skills: tuple[SkillRef, ...]
    tools: tuple[str, ...]
    tools_not_in_onet: tuple[str, ...]
    deliverables: tuple[str, ...]
    where_it_sells: tuple[Market, ...]
    needs_local_stamp: bool
    how_without_stamp: str
    demand_projects: int
    demand_prior: float


def _pathway(raw: dict) -> Pathway:  # type: ignore[type-arg]
    return Pathway(
        slug=raw["slug"],
        title=raw["title"],
        summary=raw["summary"],
        disciplines=tuple(raw["disciplines"]),
        essential_skills=tuple(SkillRef(s["id"], s["label"]) for s in raw["essential_skills"]),
        optional_skills=tuple(SkillRef(s["id"], s["label"]) for s in raw["optional_skills"]),
        tools=tuple(raw["tools"]),
        tools_not_in_onet=tuple(raw.get("tools_not_in_onet", ())),
        deliverables=tuple(raw["deliverables"]),
        where_it_sells=tuple(Market(m["platform"], m["category"]) for m in raw["where_it_sells"]),
        needs_local_stamp=bool(raw["needs_local_stamp"]),
        how_without_stamp=raw["how_without_stamp"],
        demand_projects=int(raw["demand"]["freelancer_com_2021_projects"]),
        demand_prior=0.0,  # set from the whole catalogue in pathways()
    )


@cache
def pathways() -> tuple[Pathway, ...]:
    with (DATA / "pathways.json").open(encoding="utf-8") as handle:
        items = [_pathway(raw) for raw in json.load(handle)]
    top = math.log1p(max(item.demand_projects for item in items))
    return tuple(
        replace(item, demand_prior=round(math.log1p(item.demand_projects) / top, 4))
        for item in items
    )


def pathway(slug: str) -> Pathway:
    for item in pathways():
        if item.slug == slug:
            return item
    raise KeyError(slug)
