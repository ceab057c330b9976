"""Brain Gain matching: ranked suggestions for one ask, and optimal whole-cohort rounds.

Pure Python and NumPy over dataclasses; the services load the facts and persist the results.

**Fit of a contributor to an ask** is a weighted sum of six parts, each between 0 and 1, and
every part is also returned as a reason so the seeker sees why a person was suggested:

========== ====== ===================================================================
part       weight what it measures
========== ====== ===================================================================
skills     0.40   share of the ask's taxonomy skills the contributor lists
sector     0.15   the contributor works in the ask's sector
time zone  0.15   hours a day both sides are awake (09:00-21:00 in Pakistan, 08:00-22:00
                  where the contributor lives), full marks from four hours
language   0.10   the contributor speaks the ask's language
time       0.10   hours a month offered against the effort the ask needs
load       0.10   free share of the contributor's capacity, so the busy are asked less
========== ====== ===================================================================

Contributors who do not offer the ask's kind of help, are paused, have no capacity left, or
(for an in-person ask) do not live in Pakistan are never suggested.

**A round** (a mentorship programme, a semester of final-year projects) assigns many seekers at
once.  It is a min-cost flow (OR-Tools): source -> seeker (1 unit) -> contributor (one arc per
candidate pair, cost ``1000 x (1 - fit)``) -> sink through one unit arc per free place, the k-th
place costing ``fairness x (load + k - 1)``.  Those place costs grow with load, so the flow fills
everyone's first places before anyone's third: the convex cost is what spreads the load.  A
seeker can also go to "unmatched" at a cost larger than any chain of reassignments could save,
so the round matches as many seekers as the capacities allow and, among those, minimises cost.
Staff pins keep only the pinned arc for that seeker; forbidden pairs lose their arc.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

WEIGHTS = {
    "skills": 0.40,
    "sector": 0.15,
    "time_zone": 0.15,
    "language": 0.10,
    "time": 0.10,
    "load": 0.10,
}
PAKISTAN_OFFSET_MINUTES = 5 * 60  # Pakistan keeps UTC+5 all year
SEEKER_HOURS = (9 * 60, 21 * 60)
CONTRIBUTOR_HOURS = (8 * 60, 22 * 60)
FULL_OVERLAP_MINUTES = 4 * 60
COST_SCALE = 1000
DEFAULT_FAIRNESS = 50  # cost points per place already taken: 0.05 of fit


@dataclass(frozen=True)
class ContributorFacts:
    id: int
    kinds: frozenset[str]
    skills: frozenset[str]
    sectors: frozenset[str]
    languages: frozenset[str]
    utc_offset_minutes: int
    hours_per_month: int
    capacity: int
    load: int
    available: bool = True
    in_pakistan: bool = False

    @property
    def free(self) -> int:
        return max(self.capacity - self.load, 0)


@dataclass(frozen=True)
class AskFacts:
    id: int
    kind: str
    skills: frozenset[str]
    sector: str
    language: str
    hours_per_month: int
    in_person: bool = False


@dataclass(frozen=True)
class Suggestion:
    contributor_id: int
    score: float
    parts: dict[str, float]
    matched_skills: tuple[str, ...]
    overlap_hours: float


def overlap_minutes(utc_offset_minutes: int) -> int:
    """Minutes a day inside both the seeker's and the contributor's waking hours."""
    day = 24 * 60

    def window(start: int, end: int, offset: int) -> list[tuple[int, int]]:
        # the window in UTC minutes, split where it crosses midnight
        a, b = (start - offset) % day, (end - offset) % day
        return [(a, b)] if a < b else [(a, day), (0, b)]

    seeker = window(*SEEKER_HOURS, PAKISTAN_OFFSET_MINUTES)
    contributor = window(*CONTRIBUTOR_HOURS, utc_offset_minutes)
    return sum(max(0, min(b1, b2) - max(a1, a2)) for a1, b1 in seeker for a2, b2 in contributor)


def _parts_one(ask: AskFacts, c: ContributorFacts) -> dict[str, float]:
    skills = len(ask.skills & c.skills) / len(ask.skills) if ask.skills else 0.0
    return {
        "skills": skills,
        "sector": 1.0 if ask.sector in c.sectors else 0.0,
        "time_zone": min(overlap_minutes(c.utc_offset_minutes) / FULL_OVERLAP_MINUTES, 1.0),
        "language": 1.0 if ask.language in c.languages else 0.0,
        "time": min(c.hours_per_month / ask.hours_per_month, 1.0) if ask.hours_per_month else 1.0,
        "load": 1.0 - min(c.load / c.capacity, 1.0) if c.capacity else 0.0,
    }


def eligible(ask: AskFacts, c: ContributorFacts) -> bool:
    return (
        ask.kind in c.kinds and c.available and c.free > 0 and (c.in_pakistan or not ask.in_person)
    )


def score_one(ask: AskFacts, c: ContributorFacts) -> Suggestion:
    parts = _parts_one(ask, c)
    return Suggestion(
        contributor_id=c.id,
        score=round(sum(WEIGHTS[k] * v for k, v in parts.items()), 6),
        parts=parts,
        matched_skills=tuple(sorted(ask.skills & c.skills)),
        overlap_hours=overlap_minutes(c.utc_offset_minutes) / 60,
    )


def rank_loop(
    ask: AskFacts,
    contributors: Iterable[ContributorFacts],
    *,
    limit: int = 10,
    exclude: frozenset[int] = frozenset(),
) -> list[Suggestion]:
    """The plain version: score everyone, keep the best.  The pool below must agree with it."""
    scored = [score_one(ask, c) for c in contributors if c.id not in exclude and eligible(ask, c)]
    scored.sort(key=lambda s: (-s.score, s.contributor_id))
    return scored[:limit]


@dataclass
class ContributorPool:
    """Everyone's facts as arrays, so one ask is scored against 20,000 people in a few
    vectorised passes.  Build it once and reuse it for many asks."""

    contributors: list[ContributorFacts]
    ids: np.ndarray = field(init=False)
    _kind: dict[str, np.ndarray] = field(init=False)
    _skill: dict[str, np.ndarray] = field(init=False)
    _sector: dict[str, np.ndarray] = field(init=False)
    _language: dict[str, np.ndarray] = field(init=False)

    def __post_init__(self) -> None:
        cs = self.contributors
        n = len(cs)
        self.ids = np.fromiter((c.id for c in cs), dtype=np.int64, count=n)
        self.position = {c.id: i for i, c in enumerate(cs)}
        self.free = np.fromiter((c.free for c in cs), dtype=np.int64, count=n)
        self.open = np.fromiter((c.available for c in cs), dtype=bool, count=n) & (self.free > 0)
        self.in_pakistan = np.fromiter((c.in_pakistan for c in cs), dtype=bool, count=n)
        self.hours = np.fromiter((c.hours_per_month for c in cs), dtype=np.float64, count=n)
        overlaps: dict[int, int] = {}
        self.overlap = np.fromiter(
            (
                overlaps.setdefault(c.utc_offset_minutes, overlap_minutes(c.utc_offset_minutes))
                for c in cs
            ),
            dtype=np.float64,
            count=n,
        )
        self.load_part = np.fromiter(
            ((1.0 - min(c.load / c.capacity, 1.0)) if c.capacity else 0.0 for c in cs),
            dtype=np.float64,
            count=n,
        )
        self._kind = _index(cs, lambda c: c.kinds)
        self._skill = _index(cs, lambda c: c.skills)
        self._sector = _index(cs, lambda c: c.sectors)
        self._language = _index(cs, lambda c: c.languages)

    def _mask(self, index: dict[str, np.ndarray], key: str) -> np.ndarray:
        mask = np.zeros(len(self.contributors), dtype=bool)
        hit = index.get(key)
        if hit is not None:
            mask[hit] = True
        return mask

    def rank(
        self, ask: AskFacts, *, limit: int = 10, exclude: frozenset[int] = frozenset()
    ) -> list[Suggestion]:
        n = len(self.contributors)
        if not n or limit <= 0:
            return []
        ok = self.open & self._mask(self._kind, ask.kind)
        if ask.in_person:
            ok &= self.in_pakistan
        for cid in exclude:
            i = self.position.get(cid)
            if i is not None:
                ok[i] = False
        if ask.skills:
            hits = [self._skill[s] for s in ask.skills if s in self._skill]
            counts = (
                np.bincount(np.concatenate(hits), minlength=n) if hits else np.zeros(n, np.int64)
            )
            skills = counts / len(ask.skills)
        else:
            skills = np.zeros(n)
        time = np.minimum(self.hours / ask.hours_per_month, 1.0) if ask.hours_per_month else 1.0
        score = (
            WEIGHTS["skills"] * skills
            + WEIGHTS["sector"] * self._mask(self._sector, ask.sector)
            + WEIGHTS["time_zone"] * np.minimum(self.overlap / FULL_OVERLAP_MINUTES, 1.0)
            + WEIGHTS["language"] * self._mask(self._language, ask.language)
            + WEIGHTS["time"] * time
            + WEIGHTS["load"] * self.load_part
        )
        score = np.round(score, 6)
        candidates = np.flatnonzero(ok)
        if len(candidates) > limit:
            # a generous cut first (ties at the boundary must survive), then an exact sort
            keep = np.argpartition(-score[candidates], limit - 1)[: limit * 4]
            threshold = score[candidates[keep]].min()
            candidates = candidates[score[candidates] >= threshold]
        order = sorted(candidates.tolist(), key=lambda i: (-score[i], self.ids[i]))[:limit]
        return [score_one(ask, self.contributors[i]) for i in order]


def _index(cs: Sequence[ContributorFacts], values) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    buckets: dict[str, list[int]] = {}
    for i, c in enumerate(cs):
        for v in values(c):
            buckets.setdefault(v, []).append(i)
    return {k: np.asarray(v, dtype=np.int64) for k, v in buckets.items()}


# --- whole-cohort rounds -------------------------------------------------------------------


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
