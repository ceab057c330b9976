"""Fit of a contributor to an ask: a weighted sum of six parts, each between 0 and 1, and
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
(for an in-person ask) do not live in Pakistan are never suggested.  ``ContributorPool`` holds
everyone's facts as arrays so one ask is ranked against tens of thousands of people at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

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
        if not self.contributors or limit <= 0:
            return []
        score = self._scores(ask)
        candidates = np.flatnonzero(self._open_for(ask, exclude))
        if len(candidates) > limit:
            # a generous cut first (ties at the boundary must survive), then an exact sort
            keep = np.argpartition(-score[candidates], limit - 1)[: limit * 4]
            threshold = score[candidates[keep]].min()
            candidates = candidates[score[candidates] >= threshold]
        order = sorted(candidates.tolist(), key=lambda i: (-score[i], self.ids[i]))[:limit]
        return [score_one(ask, self.contributors[i]) for i in order]

    def _open_for(self, ask: AskFacts, exclude: frozenset[int]) -> np.ndarray:
        """Who may be suggested for ``ask`` (``eligible``, less ``exclude``)."""
        ok = self.open & self._mask(self._kind, ask.kind)
        if ask.in_person:
            ok &= self.in_pakistan
        for cid in exclude:
            i = self.position.get(cid)
            if i is not None:
                ok[i] = False
        return ok

    def _scores(self, ask: AskFacts) -> np.ndarray:
        """Everyone's fit for ``ask``, as ``score_one`` computes it one by one."""
        n = len(self.contributors)
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
        return np.round(score, 6)


def _index(
    cs: Sequence[ContributorFacts], values: Callable[[ContributorFacts], Iterable[str]]
) -> dict[str, np.ndarray]:
    buckets: dict[str, list[int]] = {}
    for i, c in enumerate(cs):
        for v in values(c):
            buckets.setdefault(v, []).append(i)
    return {k: np.asarray(v, dtype=np.int64) for k, v in buckets.items()}
