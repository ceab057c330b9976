"""A 30/60/90-day plan for a chosen pathway, built from the person's gaps, their readiness and
what the pathway sells.  Steps are structured (a kind and its subject) so that the pages can say
them in English or Urdu.

* Days 1–30: the two essential gaps that raise the fit most, and the readiness gaps that would stop
  a first contract (payment account, English, connectivity ...).
* Days 31–60: the next gaps, and two portfolio pieces of the kind clients of this pathway buy.
* Days 61–90: list on the pathway's platforms and categories, send proposals with a small funded
  first milestone, and, where clients abroad need a locally licensed engineer's stamp, offer the
  work the way that needs none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rabta.engine.pathways import Pathway

PROPOSALS_TARGET = 10


@dataclass(frozen=True)
class PlanStep:
    kind: str  # learn | readiness | portfolio | profile | list | propose | stamp
    subject: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Phase:
    days: int
    steps: tuple[PlanStep, ...]


def learning_plan(
    pathway: Pathway, gaps: Sequence[tuple[str, bool]], readiness_gaps: Sequence[str]
) -> tuple[Phase, Phase, Phase]:
    """``gaps`` are (skill label, essential) pairs, most valuable first, as the scorer ranks
    them; essential gaps are learnt before optional ones."""
    ordered = [g for g in gaps if g[1]] + [g for g in gaps if not g[1]]
    first = [_learn(*g) for g in ordered[:2]]
    first += [PlanStep("readiness", name) for name in readiness_gaps[:3]]
    second = [_learn(*g) for g in ordered[2:4]]
    second += [PlanStep("portfolio", deliverable) for deliverable in pathway.deliverables[:2]]
    second.append(PlanStep("profile", pathway.title))
    return Phase(30, tuple(first)), Phase(60, tuple(second)), Phase(90, _selling_steps(pathway))


def _learn(label: str, essential: bool) -> PlanStep:
    return PlanStep("learn", label, "essential" if essential else "optional")


def _selling_steps(pathway: Pathway) -> tuple[PlanStep, ...]:
    """Days 61-90: list where the pathway sells, send proposals, and say how to work without a
    local stamp where clients would ask for one."""
    third = [
        PlanStep("list", market.platform, market.category) for market in pathway.where_it_sells[:2]
    ]
    third.append(PlanStep("propose", str(PROPOSALS_TARGET)))
    if pathway.needs_local_stamp:
        third.append(PlanStep("stamp", pathway.how_without_stamp))
    return tuple(third)
