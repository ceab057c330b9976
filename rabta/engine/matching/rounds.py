"""Whole-cohort rounds (a mentorship programme, a semester of final-year projects) assign many
seekers at once.

A round is a min-cost flow (OR-Tools): source -> seeker (1 unit) -> contributor (one arc per
candidate pair, cost ``1000 x (1 - fit)``) -> sink through one unit arc per free place, the k-th
place costing ``fairness x (load + k - 1)``.  Those place costs grow with load, so the flow fills
everyone's first places before anyone's third: the convex cost is what spreads the load.  A
seeker can also go to "unmatched" at a cost larger than any chain of reassignments could save,
so the round matches as many seekers as the capacities allow and, among those, minimises cost.
Staff pins keep only the pinned arc for that seeker; forbidden pairs lose their arc.

``round_plan`` turns the facts of a round (asks, contributors, pins and forbidden pairs by id)
into that problem; ``solve_round`` solves it, ``greedy_round`` gives the baseline, and
``round_summary`` says what a solution achieved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow

from rabta.engine.matching.fit import (
    AskFacts,
    ContributorFacts,
    ContributorPool,
    Suggestion,
    eligible,
    score_one,
)

COST_SCALE = 1000
DEFAULT_FAIRNESS = 50  # cost points per place already taken: 0.05 of fit
ROUND_CANDIDATES = 50  # best-fitting contributors per seeker that become candidate pairs


@dataclass(frozen=True)
class RoundInput:
    """Seekers are 0..seekers-1 and contributors 0..len(free)-1; the service maps ids.

    ``edge_seeker``, ``edge_contributor`` and ``edge_score`` are parallel arrays of candidate
    pairs and their fit (0-1)."""

    seekers: int
    free: np.ndarray  # places each contributor still has
    load: np.ndarray  # places each contributor already uses
    edge_seeker: np.ndarray
    edge_contributor: np.ndarray
    edge_score: np.ndarray
    pins: frozenset[tuple[int, int]] = frozenset()
    forbids: frozenset[tuple[int, int]] = frozenset()
    fairness: int = DEFAULT_FAIRNESS


@dataclass(frozen=True)
class RoundResult:
    assignment: dict[int, int]  # seeker -> contributor
    objective: int
    match_cost: int
    fairness_cost: int
    unmatched: int
    unmatched_cost: int

    @property
    def matched(self) -> int:
        return len(self.assignment)


class RoundError(ValueError):
    """Pins that cannot all hold (a pin on a pair that is not a candidate, two pins for one
    seeker, or more pins on a contributor than places)."""


def edge_costs(score: np.ndarray) -> np.ndarray:
    return np.rint((1.0 - np.clip(score, 0.0, 1.0)) * COST_SCALE).astype(np.int64)


def unmatched_cost(problem: RoundInput) -> int:
    """More than any chain of reassignments can save, so matching one more seeker always pays."""
    top_place = int((problem.load + problem.free).max(initial=0))
    per_pair = COST_SCALE + problem.fairness * top_place
    return per_pair * (min(problem.seekers, int(problem.free.sum())) + 1) + 1


def _evaluate(problem: RoundInput, chosen: np.ndarray) -> RoundResult:
    """The cost of the assignment made of the candidate pairs ``chosen`` (edge indices)."""
    seekers = problem.edge_seeker[chosen].astype(np.int64)
    contributors = problem.edge_contributor[chosen].astype(np.int64)
    if len(np.unique(seekers)) != len(seekers):
        raise ValueError("a seeker is assigned twice")
    taken = np.bincount(contributors, minlength=len(problem.free))
    if (taken > problem.free).any():
        raise ValueError("assignment exceeds a contributor's free places")
    match = int(edge_costs(problem.edge_score[chosen]).sum())
    base = problem.load.astype(np.int64)
    # places load+1 .. load+k cost fairness * (load .. load+k-1): k*load + k(k-1)/2 units
    fairness = int(problem.fairness * (taken * base + taken * (taken - 1) // 2).sum())
    unmatched = problem.seekers - len(seekers)
    penalty = unmatched * unmatched_cost(problem)
    return RoundResult(
        assignment=dict(zip(seekers.tolist(), contributors.tolist(), strict=True)),
        objective=match + fairness + penalty,
        match_cost=match,
        fairness_cost=fairness,
        unmatched=unmatched,
        unmatched_cost=penalty,
    )


def objective(problem: RoundInput, assignment: dict[int, int]) -> RoundResult:
    """The cost of any assignment under the round's rules: the one number both the solver and
    the greedy baseline are judged by."""
    index = {
        (int(s), int(c)): i
        for i, (s, c) in enumerate(zip(problem.edge_seeker, problem.edge_contributor, strict=True))
    }
    chosen = np.array([index[(s, c)] for s, c in assignment.items()], dtype=np.int64)
    return _evaluate(problem, chosen)


def _checked_pins(problem: RoundInput) -> dict[int, int]:
    pins: dict[int, int] = {}
    if not problem.pins:
        return pins
    used = np.zeros(len(problem.free), dtype=np.int64)
    candidates = set(
        zip(problem.edge_seeker.tolist(), problem.edge_contributor.tolist(), strict=True)
    )
    for s, c in sorted(problem.pins):
        if s in pins:
            raise RoundError(f"seeker {s} is pinned twice")
        if (s, c) in problem.forbids:
            raise RoundError(f"pair {s}-{c} is both pinned and forbidden")
        if (s, c) not in candidates:
            raise RoundError(f"pair {s}-{c} is not a candidate pair")
        used[c] += 1
        if used[c] > problem.free[c]:
            raise RoundError(f"contributor {c} has more pins than free places")
        pins[s] = c
    return pins


def solve_round(problem: RoundInput) -> RoundResult:
    pins = _checked_pins(problem)
    n, m = problem.seekers, len(problem.free)
    seeker_arr = problem.edge_seeker.astype(np.int64)
    contributor_arr = problem.edge_contributor.astype(np.int64)
    keep = np.ones(len(seeker_arr), dtype=bool)
    if problem.forbids:
        forbidden = np.array(sorted(problem.forbids), dtype=np.int64).reshape(-1, 2)
        keep &= ~_pairs_in(seeker_arr, contributor_arr, forbidden)
    pinned = np.zeros(n, dtype=bool)
    if pins:
        target = np.full(n, -1, dtype=np.int64)
        for s, c in pins.items():
            target[s] = c
            pinned[s] = True
        keep &= ~pinned[seeker_arr] | (contributor_arr == target[seeker_arr])
    kept = np.flatnonzero(keep)
    costs = edge_costs(problem.edge_score[kept])

    # nodes: 0 source, 1..n seekers, n+1..n+m contributors, n+m+1 sink
    source, sink = 0, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    seekers = np.arange(n, dtype=np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(n, dtype=np.int64), seekers + 1, np.ones(n, np.int64), np.zeros(n, np.int64)
    )
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        seeker_arr[kept] + 1, contributor_arr[kept] + n + 1, np.ones(len(kept), np.int64), costs
    )
    # one unit arc per free place; the k-th place costs fairness * (load + k - 1)
    places = problem.free.astype(np.int64)
    owner = np.repeat(np.arange(m, dtype=np.int64), places)
    k = np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(places) - places, places)
    place_cost = problem.fairness * (problem.load.astype(np.int64)[owner] + k)
    flow.add_arcs_with_capacity_and_unit_cost(
        owner + n + 1,
        np.full(len(owner), sink, np.int64),
        np.ones(len(owner), np.int64),
        place_cost,
    )
    free_seekers = seekers[~pinned]
    flow.add_arcs_with_capacity_and_unit_cost(
        free_seekers + 1,
        np.full(len(free_seekers), sink, np.int64),
        np.ones(len(free_seekers), np.int64),
        np.full(len(free_seekers), unmatched_cost(problem), np.int64),
    )
    flow.set_nodes_supplies(np.array([source, sink]), np.array([n, -n]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RoundError("a pinned seeker cannot be placed")  # only pins can make it infeasible
    result = _evaluate(problem, kept[flow.flows(pair_arcs) > 0])
    if result.objective != flow.optimal_cost():
        raise AssertionError("solver cost and objective disagree")
    return result


def _pairs_in(seekers: np.ndarray, contributors: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    width = int(max(contributors.max(initial=0), pairs[:, 1].max(initial=0))) + 1
    return np.isin(seekers * width + contributors, pairs[:, 0] * width + pairs[:, 1])


def greedy_round(problem: RoundInput) -> RoundResult:
    """The baseline a hand-written loop would give: pins first, then pairs from the best fit
    down, each taken if both sides are still free."""
    pins = _checked_pins(problem)
    free = problem.free.astype(np.int64).copy()
    done = np.zeros(problem.seekers, dtype=bool)
    chosen: list[int] = []
    seekers, contributors = problem.edge_seeker.tolist(), problem.edge_contributor.tolist()
    if pins:
        index = {(s, c): i for i, (s, c) in enumerate(zip(seekers, contributors, strict=True))}
        for s, c in pins.items():
            chosen.append(index[(s, c)])
            done[s] = True
            free[c] -= 1
    order = np.lexsort((problem.edge_contributor, problem.edge_seeker, -problem.edge_score))
    for i in order.tolist():
        s, c = seekers[i], contributors[i]
        if done[s] or free[c] <= 0 or (s, c) in problem.forbids:
            continue
        chosen.append(i)
        done[s] = True
        free[c] -= 1
    return _evaluate(problem, np.array(chosen, dtype=np.int64))


def gap_percent(optimal: RoundResult, other: RoundResult) -> float:
    """How much worse ``other`` is, in percent of the optimal cost.  When both match the same
    number of seekers the unmatched penalty is the same and is left out, so the figure speaks
    of fit and fairness; otherwise the penalty is what differs and it is counted."""
    if optimal.unmatched == other.unmatched:
        best = optimal.match_cost + optimal.fairness_cost
        worse = other.match_cost + other.fairness_cost
    else:
        best, worse = optimal.objective, other.objective
    if best == 0:
        return 0.0 if worse == 0 else math.inf
    return 100.0 * (worse - best) / best


# --- a round from facts ---------------------------------------------------------------------

Pair = tuple[int, int]  # (ask id, contributor id)


@dataclass(frozen=True)
class RoundSeeker:
    """One ask of a round, with the contributors it was sent to before (never proposed again
    unless staff pin them)."""

    ask: AskFacts
    asked: frozenset[int] = frozenset()


@dataclass(frozen=True)
class RoundPair:
    """An assigned pair, by id, with the fit that put it there."""

    ask_id: int
    suggestion: Suggestion
    pinned: bool


@dataclass(frozen=True)
class RoundPlan:
    """A round's problem and the ids behind its indices: seeker ``s`` is ``ask_ids[s]``,
    contributor ``c`` is ``contributor_ids[c]``."""

    problem: RoundInput
    ask_ids: tuple[int, ...]
    contributor_ids: tuple[int, ...]
    candidates: Mapping[Pair, Suggestion]
    pins_not_applicable: tuple[Pair, ...]  # pins on an ask or a person outside the round

    def pairs(self, result: RoundResult) -> list[RoundPair]:
        """The assignment of ``result`` by id, in seeker order."""
        found = []
        for s, c in sorted(result.assignment.items()):
            pair = (self.ask_ids[s], self.contributor_ids[c])
            found.append(RoundPair(pair[0], self.candidates[pair], (s, c) in self.problem.pins))
        return found


def _round_candidates(
    pool: ContributorPool,
    by_id: Mapping[int, ContributorFacts],
    seeker: RoundSeeker,
    pinned: Sequence[int],
    limit: int,
) -> list[Suggestion]:
    ranked = pool.rank(seeker.ask, limit=limit, exclude=seeker.asked)
    ids = {r.contributor_id for r in ranked}
    for contributor_id in pinned:
        # a pin outside the top candidates still counts, if the person can take the ask
        extra = by_id.get(contributor_id)
        if extra is not None and contributor_id not in ids and eligible(seeker.ask, extra):
            ranked.append(score_one(seeker.ask, extra))
    return ranked


@dataclass
class _Edges:
    """Candidate pairs as they are found, contributors numbered by first appearance."""

    index: dict[int, int] = field(default_factory=dict)  # contributor id -> number
    found: dict[Pair, Suggestion] = field(default_factory=dict)
    seeker: list[int] = field(default_factory=list)
    contributor: list[int] = field(default_factory=list)
    score: list[float] = field(default_factory=list)

    def add(self, s: int, ask_id: int, suggestion: Suggestion) -> None:
        c = self.index.setdefault(suggestion.contributor_id, len(self.index))
        self.seeker.append(s)
        self.contributor.append(c)
        self.score.append(suggestion.score)
        self.found[(ask_id, suggestion.contributor_id)] = suggestion


def _indexed(
    pairs: frozenset[Pair], asks: Mapping[int, int], people: Mapping[int, int]
) -> frozenset[Pair]:
    """Pairs by id as pairs of indices, leaving out those outside the round."""
    return frozenset((asks[a], people[c]) for a, c in pairs if a in asks and c in people)


def round_plan(
    seekers: Sequence[RoundSeeker],
    contributors: Sequence[ContributorFacts],
    *,
    pins: frozenset[Pair] = frozenset(),
    forbids: frozenset[Pair] = frozenset(),
    fairness: int = DEFAULT_FAIRNESS,
    candidates: int = ROUND_CANDIDATES,
) -> RoundPlan:
    """The min-cost-flow problem of a round: each seeker's best ``candidates`` eligible
    contributors (plus any pinned person who can take the ask) become its candidate pairs;
    contributors are numbered in the order they first appear."""
    pool = ContributorPool(list(contributors))
    by_id = {c.id: c for c in contributors}
    edges = _Edges()
    pinned: dict[int, list[int]] = {}
    for ask_id, contributor_id in sorted(pins):  # sorted once: the order pins are added in
        pinned.setdefault(ask_id, []).append(contributor_id)
    for s, seeker in enumerate(seekers):
        found = _round_candidates(pool, by_id, seeker, pinned.get(seeker.ask.id, ()), candidates)
        for suggestion in found:
            edges.add(s, seeker.ask.id, suggestion)
    people = tuple(edges.index)  # insertion order is index order
    asks = {seeker.ask.id: s for s, seeker in enumerate(seekers)}
    problem = RoundInput(
        seekers=len(seekers),
        free=np.array([by_id[p].free for p in people], dtype=np.int64),
        load=np.array([by_id[p].load for p in people], dtype=np.int64),
        edge_seeker=np.array(edges.seeker, dtype=np.int64),
        edge_contributor=np.array(edges.contributor, dtype=np.int64),
        edge_score=np.array(edges.score, dtype=np.float64),
        pins=_indexed(pins, asks, edges.index),
        forbids=_indexed(forbids, asks, edges.index),
        fairness=fairness,
    )
    lost = tuple(sorted((a, c) for a, c in pins if a not in asks or c not in edges.index))
    return RoundPlan(problem, tuple(asks), people, edges.found, lost)


def round_summary(
    plan: RoundPlan, result: RoundResult, greedy: RoundResult, *, seconds: float
) -> dict[str, Any]:
    """What a solution achieved, against the greedy baseline, as plain JSON values."""
    scores = [pair.suggestion.score for pair in plan.pairs(result)]
    loads = np.bincount(list(result.assignment.values()), minlength=len(plan.contributor_ids))
    return {
        "seekers": plan.problem.seekers,
        "contributors": len(plan.contributor_ids),
        "pairs": len(plan.problem.edge_seeker),
        "matched": result.matched,
        "unmatched": result.unmatched,
        "objective": result.objective,
        "match_cost": result.match_cost,
        "fairness_cost": result.fairness_cost,
        "mean_fit": round(float(np.mean(scores)), 3) if scores else 0.0,
        "largest_load": int(loads.max(initial=0)),
        "contributors_used": int((loads > 0).sum()),
        "greedy_matched": greedy.matched,
        "greedy_cost": greedy.match_cost + greedy.fairness_cost,
        "gap_percent": _finite(gap_percent(result, greedy)),
        "seconds": round(seconds, 3),
        "pins_not_applicable": [list(p) for p in plan.pins_not_applicable],
    }


def _finite(value: float) -> float | None:
    # JSON has no infinity: a zero-cost optimum against a costlier baseline has no percentage
    return round(value, 2) if math.isfinite(value) else None
