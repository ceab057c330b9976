"""Matching benchmark: whole-cohort rounds and single-ask suggestions.

    .venv/bin/python benchmarks/matching [--seekers 10000] [--contributors 2000] [--asks 200]
                                         [--smoke]

1. A round of 10,000 seekers and 2,000 contributors (capacities 1-5, about 50 candidate
   contributors per seeker), then the same at five times the size: min-cost-flow solve time
   (median of three) and its objective against the greedy baseline in the same run (gap in
   percent, matched seekers, largest load).
2. Single-ask suggestions over 20,000 contributors: p50/p95 latency of the vectorised pool
   against the plain per-contributor loop in the same run, and the time to build the pool.
3. The same through the service on a real database (SQLite in a temporary folder): the ask is
   read, the pool comes from the cache (cold build reported separately), suggestions are ranked
   and their reasons assembled.

Every run checks the answers, not only the time: each round's solution is feasible (every pair
a candidate, no seeker twice, no contributor over its free places), its objective recomputed
from the assignment is what the solver claims, and it is no worse than greedy (matches at least
as many seekers, costs no more); the pool ranks as the loop does; through the service, the
cached pool suggests what a freshly built one does.  Exits non-zero otherwise.  ``--smoke``
(CI): rounds of 300 seekers and 80 contributors (and five times that), 2,000 contributors and
20 asks in the engine, 500 and 10 through the service: seconds, and speed is not judged.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from rabta.engine.matching import (  # noqa: E402
    AskFacts,
    ContributorFacts,
    ContributorPool,
    RoundInput,
    RoundResult,
    gap_percent,
    greedy_round,
    rank_loop,
    solve_round,
)
from rabta.engine.matching.rounds import objective  # noqa: E402

KINDS = ["mentoring", "fyp_supervision", "research_guidance", "consultancy"]
SECTORS = ["power", "water", "ai", "construction", "software", "telecom", "manufacturing"]
OFFSETS = [-480, -300, -240, 0, 60, 120, 180, 240, 330, 480, 540, 600]


def round_problem(rng: np.random.Generator, seekers: int, contributors: int) -> RoundInput:
    per_seeker = 50
    edge_seeker = np.repeat(np.arange(seekers, dtype=np.int64), per_seeker)
    # each seeker's 50 candidates, drawn without repeats, skewed towards popular contributors
    popularity = rng.pareto(1.5, contributors) + 1
    popularity /= popularity.sum()
    edge_contributor = np.concatenate(
        [rng.choice(contributors, per_seeker, replace=False, p=popularity) for _ in range(seekers)]
    ).astype(np.int64)
    edge_score = np.round(rng.beta(4, 3, len(edge_seeker)), 3)
    free = rng.integers(1, 6, contributors)
    return RoundInput(
        seekers=seekers,
        free=free,
        load=np.zeros(contributors, dtype=np.int64),
        edge_seeker=edge_seeker,
        edge_contributor=edge_contributor,
        edge_score=edge_score,
    )


def feasible(problem: RoundInput, result: RoundResult, name: str) -> None:
    """Every assigned pair is a candidate, no seeker is assigned twice or out of range, no
    contributor takes more than its free places, and the objective is what the assignment
    costs under the round's rules."""
    candidates = set(
        zip(problem.edge_seeker.tolist(), problem.edge_contributor.tolist(), strict=True)
    )
    pairs = list(result.assignment.items())
    assert all(0 <= s < problem.seekers for s, _c in pairs), f"{name}: a seeker out of range"
    assert all(pair in candidates for pair in pairs), f"{name}: a pair that is no candidate"
    taken = np.bincount([c for _s, c in pairs], minlength=len(problem.free))
    assert (taken <= problem.free).all(), f"{name}: a contributor over its free places"
    assert result.unmatched == problem.seekers - result.matched, f"{name}: unmatched count"
    again = objective(problem, result.assignment)
    assert again.objective == result.objective, f"{name}: objective {result.objective} != {again}"


def bench_round(seekers: int, contributors: int) -> None:
    rng = np.random.default_rng(2026)
    problem = round_problem(rng, seekers, contributors)
    times, result = [], None
    for _ in range(3):
        started = time.perf_counter()
        result = solve_round(problem)
        times.append(time.perf_counter() - started)
    greedy_times, greedy = [], None
    for _ in range(3):
        started = time.perf_counter()
        greedy = greedy_round(problem)
        greedy_times.append(time.perf_counter() - started)
    assert result is not None
    assert greedy is not None
    feasible(problem, result, "min-cost flow")
    feasible(problem, greedy, "greedy")
    assert result.matched >= greedy.matched, (result.matched, greedy.matched)
    assert result.objective <= greedy.objective, (result.objective, greedy.objective)
    opt_load = np.bincount(list(result.assignment.values()), minlength=contributors)
    greedy_load = np.bincount(list(greedy.assignment.values()), minlength=contributors)
    print(
        f"round {seekers:,} seekers x {contributors:,} contributors, {len(problem.edge_seeker):,} "
        f"candidate pairs, {int(problem.free.sum()):,} places"
    )
    print(
        f"  min-cost flow: {statistics.median(times):.3f} s (median of 3); matched "
        f"{result.matched:,}, objective {result.objective:,} (fit {result.match_cost:,}, "
        f"fairness {result.fairness_cost:,}), largest load {opt_load.max()}"
    )
    print(
        f"  greedy:        {statistics.median(greedy_times):.3f} s; matched {greedy.matched:,}, "
        f"objective {greedy.objective:,} (fit {greedy.match_cost:,}, fairness "
        f"{greedy.fairness_cost:,}), largest load {greedy_load.max()}"
    )
    print(f"  greedy is {gap_percent(result, greedy):.2f}% worse than optimal")
    print("  checked: both feasible, objectives recomputed, the solver no worse than greedy")


def people(rng: random.Random, n: int, skills: list[str]) -> list[ContributorFacts]:
    return [
        ContributorFacts(
            id=i + 1,
            kinds=frozenset(rng.sample(KINDS, k=rng.randint(1, 3))),
            skills=frozenset(rng.sample(skills, k=rng.randint(3, 15))),
            sectors=frozenset(rng.sample(SECTORS, k=rng.randint(1, 3))),
            languages=frozenset(rng.sample(["en", "ur", "pa", "de", "ar"], k=rng.randint(1, 3))),
            utc_offset_minutes=rng.choice(OFFSETS),
            hours_per_month=rng.choice([2, 4, 6, 8, 10]),
            capacity=rng.randint(1, 5),
            load=rng.randint(0, 2),
            available=rng.random() > 0.1,
        )
        for i in range(n)
    ]


def asks(rng: random.Random, n: int, skills: list[str]) -> list[AskFacts]:
    return [
        AskFacts(
            id=i,
            kind=rng.choice(KINDS),
            skills=frozenset(rng.sample(skills, k=rng.randint(2, 8))),
            sector=rng.choice(SECTORS),
            language=rng.choice(["en", "ur"]),
            hours_per_month=rng.choice([2, 4, 8]),
        )
        for i in range(n)
    ]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def bench_single(contributors: int, count: int) -> None:
    rng = random.Random(7)
    skills = [f"http://data.europa.eu/esco/skill/{i:05d}" for i in range(600)]
    pool_people = people(rng, contributors, skills)
    started = time.perf_counter()
    pool = ContributorPool(pool_people)
    build = time.perf_counter() - started
    timed_pool, timed_loop = [], []
    for ask in asks(rng, count, skills):
        started = time.perf_counter()
        fast = pool.rank(ask, limit=10)
        timed_pool.append(time.perf_counter() - started)
        started = time.perf_counter()
        slow = rank_loop(ask, pool_people, limit=10)
        timed_loop.append(time.perf_counter() - started)
        assert fast == slow
    print(f"single ask over {contributors:,} contributors, {count} asks (top 10, same answers)")
    print(f"  pool build once: {build * 1000:.0f} ms")
    for name, values in (("vectorised pool", timed_pool), ("plain loop", timed_loop)):
        print(
            f"  {name:16s} p50 {percentile(values, 50) * 1000:6.1f} ms   "
            f"p95 {percentile(values, 95) * 1000:6.1f} ms"
        )
    ratio = percentile(timed_loop, 95) / percentile(timed_pool, 95)
    print(f"  the pool's p95 is {ratio:.0f}x faster than the loop's")


def bench_service(contributors: int, count: int, smoke: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SQLITE_PATH": str(Path(folder) / "bench.sqlite3"),
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run(
            [sys.executable, str(Path(__file__).parent / "service.py"), str(contributors)]
            + [str(count)]
            + (["--smoke"] if smoke else []),
            cwd=ROOT,
            env=env,
            check=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seekers", type=int, default=10_000)
    parser.add_argument("--contributors", type=int, default=2_000)
    parser.add_argument("--pool", type=int, default=20_000)
    parser.add_argument("--asks", type=int, default=200)
    parser.add_argument("--skip-service", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: seconds (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.seekers, args.contributors, args.pool, args.asks = 300, 80, 2_000, 20
    print(
        f"load average {os.getloadavg()[0]:.2f}"
        + (" · smoke: correctness only, speed not judged" if args.smoke else "")
    )
    bench_round(args.seekers, args.contributors)
    bench_round(args.seekers * 5, args.contributors * 5)
    bench_single(args.pool, args.asks)
    if not args.skip_service:
        if args.smoke:
            bench_service(500, 10, smoke=True)
        else:
            bench_service(args.pool, args.asks)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
