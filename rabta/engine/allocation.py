"""Fair seat allocation: inclusion targets first, then a seeded lottery.

Pure Python over dataclasses.  Every candidate gets a lottery rank from the seed (the same seed
always gives the same ranks), then seats are filled one at a time:

1. while any inclusion target is short (a province floor, the women's share, the early-career
   share), the next seat goes to the best-ranked remaining candidate among those who close the
   most shortfalls at once;
2. once every target is met, or no remaining candidate can help, the remaining seats go by
   lottery rank.

Every target is met whenever the minimums fit in the seats together (the property test checks
this on random cohorts); when they compete for the same seats, each seat goes to whoever closes
the most shortfalls, which can miss a combination an exact search would find.  Seats are never
exceeded; every candidate gets a reason; the same seed gives the same result.

Candidates are held in buckets by (province, woman, early career), each sorted
by rank, so a 50,000-applicant cohort allocates in well under a second.
"""

from __future__ import annotations

import math
import random
from collections import Counter, deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    id: int
    province: str
    woman: bool
    early_career: bool


@dataclass(frozen=True)
class Targets:
    women_share: float = 0.0
    early_career_share: float = 0.0
    province_floors: bool = False


@dataclass(frozen=True)
class Placement:
    id: int
    selected: bool
    lottery_rank: int
    reason: str
    waitlist_position: int | None = None


@dataclass
class Allocation:
    seed: int
    seats: int
    placements: list[Placement]
    minimums: dict[str, int] = field(default_factory=dict)
    achieved: dict[str, int] = field(default_factory=dict)
    applicants: dict[str, int] = field(default_factory=dict)

    @property
    def selected(self) -> list[Placement]:
        return [p for p in self.placements if p.selected]


def allocate(candidates: list[Candidate], seats: int, targets: Targets, seed: int) -> Allocation:
    if seats < 0:
        raise ValueError("seats must not be negative")
    order, rank = _lottery(candidates, seed)
    by_id = {c.id: c for c in candidates}
    seats_to_fill = min(seats, len(candidates))
    applicants = _applicants(candidates)
    minimums = _minimums(applicants, len(candidates), seats_to_fill, targets)

    achieved: Counter[str] = Counter()
    chosen: dict[int, str] = {}

    def take(cid: int, reason: str) -> None:
        chosen[cid] = reason
        for key in _groups_of(by_id[cid]):
            achieved[key] += 1

    buckets = _buckets(order, by_id)
    while len(chosen) < seats_to_fill:
        best = _best_bucket(buckets, by_id, rank, achieved, minimums)
        if best is None:
            break
        bucket_key, helps = best
        take(buckets[bucket_key].popleft(), "inclusion target: " + ", ".join(map(_label, helps)))

    remaining = [cid for cid in order if cid not in chosen]
    for cid in remaining[: seats_to_fill - len(chosen)]:
        take(cid, f"lottery rank {rank[cid]} among the open seats")

    return Allocation(
        seed=seed,
        seats=seats,
        placements=_placements(order, rank, chosen),
        minimums=minimums,
        achieved=dict(achieved),
        applicants=dict(applicants),
    )


def _lottery(candidates: list[Candidate], seed: int) -> tuple[list[int], dict[int, int]]:
    """The lottery order of the candidate ids and each id's rank in it (1 first).  The ids are
    sorted before the shuffle so that the order depends on the seed alone, not on input order."""
    ids = sorted(c.id for c in candidates)
    if len(ids) != len(set(ids)):
        raise ValueError("candidate ids must be unique")
    order = ids[:]
    # A seeded, published lottery must be reproducible by anyone, so not a CSPRNG.
    random.Random(seed).shuffle(order)  # noqa: S311
    rank = {cid: position + 1 for position, cid in enumerate(order)}
    return order, rank


def _applicants(candidates: list[Candidate]) -> Counter[str]:
    """How many candidates each group has: per province, women and early career."""
    applicants: Counter[str] = Counter()
    for c in candidates:
        applicants[f"province:{c.province}"] += 1
        applicants["women"] += c.woman
        applicants["early_career"] += c.early_career
    return applicants


def _minimums(
    applicants: Counter[str], n: int, seats_to_fill: int, targets: Targets
) -> dict[str, int]:
    """Seats each group must get, never more than it has applicants; groups owed none are left
    out."""
    minimums: dict[str, int] = {}
    if targets.province_floors and n:
        for key, count in applicants.items():
            if key.startswith("province:"):
                minimums[key] = min(count, math.floor(seats_to_fill * count / n))
    minimums["women"] = min(applicants["women"], math.ceil(targets.women_share * seats_to_fill))
    minimums["early_career"] = min(
        applicants["early_career"], math.ceil(targets.early_career_share * seats_to_fill)
    )
    return {key: value for key, value in minimums.items() if value > 0}


def _groups_of(c: Candidate) -> list[str]:
    keys = [f"province:{c.province}"]
    if c.woman:
        keys.append("women")
    if c.early_career:
        keys.append("early_career")
    return keys


_Bucket = tuple[str, bool, bool]


def _buckets(order: list[int], by_id: dict[int, Candidate]) -> dict[_Bucket, deque[int]]:
    """Candidate ids by (province, woman, early career), each queue in lottery order: every
    candidate of a bucket closes the same shortfalls, so only its head need be looked at."""
    buckets: dict[_Bucket, deque[int]] = {}
    for cid in order:
        c = by_id[cid]
        buckets.setdefault((c.province, c.woman, c.early_career), deque()).append(cid)
    return buckets


def _best_bucket(
    buckets: dict[_Bucket, deque[int]],
    by_id: dict[int, Candidate],
    rank: dict[int, int],
    achieved: Counter[str],
    minimums: dict[str, int],
) -> tuple[_Bucket, list[str]] | None:
    """The bucket whose head closes the most shortfalls (the better lottery rank on a tie) and
    the shortfalls it closes; None when no remaining candidate closes any."""
    best: tuple[int, int, _Bucket] | None = None
    helps: list[str] = []
    for bucket_key, queue in buckets.items():
        if not queue:
            continue
        head = queue[0]
        closes = [k for k in _groups_of(by_id[head]) if achieved[k] < minimums.get(k, 0)]
        if not closes:
            continue
        score = (len(closes), -rank[head])
        if best is None or score > (best[0], best[1]):
            best = (score[0], score[1], bucket_key)
            helps = closes
    return None if best is None else (best[2], helps)


def _placements(order: list[int], rank: dict[int, int], chosen: dict[int, str]) -> list[Placement]:
    """Every candidate in lottery order: the chosen with their reason, the rest waitlisted in
    that order."""
    placements: list[Placement] = []
    waitlist_position = 0
    for cid in order:
        if cid in chosen:
            placements.append(Placement(cid, True, rank[cid], chosen[cid]))
        else:
            waitlist_position += 1
            placements.append(
                Placement(
                    cid,
                    False,
                    rank[cid],
                    f"waitlisted by lottery rank {rank[cid]}",
                    waitlist_position,
                )
            )
    return placements


def _label(key: str) -> str:
    if key.startswith("province:"):
        return f"{key.split(':', 1)[1]} floor"
    return {"women": "women's share", "early_career": "early-career share"}[key]
