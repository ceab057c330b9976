import itertools
import random
from typing import Any

import numpy as np
import pytest

from rabta.engine.matching import (
    AskFacts,
    ContributorFacts,
    ContributorPool,
    RoundError,
    RoundInput,
    RoundPair,
    RoundSeeker,
    gap_percent,
    greedy_round,
    objective,
    overlap_minutes,
    rank_loop,
    round_plan,
    round_summary,
    score_one,
    solve_round,
)

SKILLS = [f"s{i}" for i in range(12)]


def contributor(cid: int, **overrides: Any) -> ContributorFacts:
    facts: dict[str, Any] = {
        "id": cid,
        "kinds": frozenset({"mentoring"}),
        "skills": frozenset({"s1", "s2"}),
        "sectors": frozenset({"power"}),
        "languages": frozenset({"en", "ur"}),
        "utc_offset_minutes": 0,
        "hours_per_month": 6,
        "capacity": 3,
        "load": 0,
    }
    facts.update(overrides)
    return ContributorFacts(**facts)


ASK = AskFacts(
    id=1,
    kind="mentoring",
    skills=frozenset({"s1", "s2", "s3", "s4"}),
    sector="power",
    language="ur",
    hours_per_month=4,
)


def test_overlap_with_pakistan_by_offset():
    # Karachi itself: 09:00-21:00 inside 08:00-22:00 is the whole 12 hours
    assert overlap_minutes(300) == 12 * 60
    # London in winter (UTC+0): 08:00-22:00 UTC is 13:00-03:00 PKT, so 13:00-21:00
    assert overlap_minutes(0) == 8 * 60
    # Toronto in winter (UTC-5): 08:00-22:00 is 18:00-08:00 PKT, so 18:00-21:00
    assert overlap_minutes(-300) == 3 * 60
    # Vancouver (UTC-8): 08:00-22:00 is 21:00-11:00 PKT, so 09:00-11:00
    assert overlap_minutes(-480) == 2 * 60
    # Sydney (UTC+11): 08:00-22:00 is 02:00-16:00 PKT, so 09:00-16:00
    assert overlap_minutes(660) == 7 * 60


def test_score_explains_each_part():
    s = score_one(ASK, contributor(7, skills=frozenset({"s1", "s3", "s9"}), load=1))
    assert s.parts == {
        "skills": 0.5,
        "sector": 1.0,
        "time_zone": 1.0,
        "language": 1.0,
        "time": 1.0,
        "load": pytest.approx(2 / 3),
    }
    assert s.matched_skills == ("s1", "s3")
    assert s.overlap_hours == 8
    assert s.score == pytest.approx(0.4 * 0.5 + 0.15 + 0.15 + 0.1 + 0.1 + 0.1 * 2 / 3, abs=1e-6)


def test_ineligible_contributors_are_never_suggested():
    people = [
        contributor(1),
        contributor(2, kinds=frozenset({"consultancy"})),
        contributor(3, available=False),
        contributor(4, load=3),
        contributor(5, capacity=0),
    ]
    assert [s.contributor_id for s in rank_loop(ASK, people)] == [1]
    assert [s.contributor_id for s in ContributorPool(people).rank(ASK)] == [1]
    in_person = AskFacts(**{**ASK.__dict__, "in_person": True})
    assert ContributorPool(people).rank(in_person) == []
    home = [contributor(1), contributor(9, in_pakistan=True)]
    assert [s.contributor_id for s in ContributorPool(home).rank(in_person)] == [9]


def test_busier_contributor_ranks_lower_all_else_equal():
    ranked = ContributorPool([contributor(1, load=2), contributor(2, load=0)]).rank(ASK)
    assert [s.contributor_id for s in ranked] == [2, 1]


def test_exclude_removes_people_already_asked():
    pool = ContributorPool([contributor(1), contributor(2)])
    assert [s.contributor_id for s in pool.rank(ASK, exclude=frozenset({1}))] == [2]


def _random_people(rng: random.Random, n: int) -> list[ContributorFacts]:
    return [
        ContributorFacts(
            id=i + 100,
            kinds=frozenset(rng.sample(["mentoring", "consultancy", "fyp"], k=rng.randint(1, 3))),
            skills=frozenset(rng.sample(SKILLS, k=rng.randint(0, 5))),
            sectors=frozenset(rng.sample(["power", "water", "ai"], k=rng.randint(1, 2))),
            languages=frozenset(rng.sample(["en", "ur", "de"], k=rng.randint(1, 3))),
            utc_offset_minutes=rng.choice([-480, -300, 0, 60, 240, 300, 600]),
            hours_per_month=rng.randint(0, 10),
            capacity=rng.randint(0, 5),
            load=rng.randint(0, 3),
            available=rng.random() > 0.1,
            in_pakistan=rng.random() < 0.2,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(8))
def test_vectorised_pool_agrees_with_the_plain_loop(seed):
    rng = random.Random(seed)
    people = _random_people(rng, 300)
    pool = ContributorPool(people)
    for _ in range(20):
        ask = AskFacts(
            id=1,
            kind=rng.choice(["mentoring", "consultancy", "fyp"]),
            skills=frozenset(rng.sample(SKILLS, k=rng.randint(0, 4))),
            sector=rng.choice(["power", "water", "ai"]),
            language=rng.choice(["en", "ur"]),
            hours_per_month=rng.randint(0, 8),
            in_person=rng.random() < 0.2,
        )
        exclude = frozenset(rng.sample([c.id for c in people], k=10))
        expected = rank_loop(ask, people, limit=12, exclude=exclude)
        assert pool.rank(ask, limit=12, exclude=exclude) == expected


# --- rounds ------------------------------------------------------------------------------


def _problem(rng: random.Random, seekers: int, contributors: int, **extra) -> RoundInput:
    pairs = [(s, c) for s in range(seekers) for c in range(contributors) if rng.random() < 0.6]
    return RoundInput(
        seekers=seekers,
        free=np.array([rng.randint(0, 2) for _ in range(contributors)]),
        load=np.array([rng.randint(0, 2) for _ in range(contributors)]),
        edge_seeker=np.array([s for s, _ in pairs], dtype=np.int64),
        edge_contributor=np.array([c for _, c in pairs], dtype=np.int64),
        edge_score=np.array([round(rng.random(), 3) for _ in pairs]),
        **extra,
    )


def _brute_force(problem: RoundInput) -> int:
    options: list[list[int | None]] = []
    for s in range(problem.seekers):
        mine = [
            int(c)
            for ss, c in zip(problem.edge_seeker, problem.edge_contributor, strict=True)
            if ss == s and (s, int(c)) not in problem.forbids
        ]
        pinned: list[int | None] = [c for ps, c in problem.pins if ps == s]
        options.append(pinned if pinned else [None, *mine])
    best = None
    for choice in itertools.product(*options):
        assignment = {s: c for s, c in enumerate(choice) if c is not None}
        counts = np.bincount(list(assignment.values()), minlength=len(problem.free))
        if (counts > problem.free).any():
            continue
        cost = objective(problem, assignment).objective
        best = cost if best is None else min(best, cost)
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(40))
def test_round_is_optimal_against_brute_force(seed):
    rng = random.Random(seed)
    problem = _problem(rng, seekers=rng.randint(1, 6), contributors=rng.randint(1, 4))
    result = solve_round(problem)
    assert result.objective == _brute_force(problem)
    assert greedy_round(problem).objective >= result.objective


@pytest.mark.parametrize("seed", range(15))
def test_pins_and_forbids_are_obeyed_and_still_optimal(seed):
    rng = random.Random(1000 + seed)
    base = _problem(rng, seekers=5, contributors=3)
    pairs = list(zip(base.edge_seeker.tolist(), base.edge_contributor.tolist(), strict=True))
    forbids = frozenset(rng.sample(pairs, k=min(2, len(pairs))))
    pin_options = [p for p in pairs if p not in forbids and base.free[p[1]] > 0]
    pins = frozenset(rng.sample(pin_options, k=1)) if pin_options else frozenset()
    problem = RoundInput(**{**base.__dict__, "pins": pins, "forbids": forbids})
    result = solve_round(problem)
    for s, c in pins:
        assert result.assignment[s] == c
    for s, c in forbids:
        assert result.assignment.get(s) != c
    assert result.objective == _brute_force(problem)


def test_capacities_are_never_exceeded_and_load_is_spread():
    # three seekers who all fit contributor 0 best; contributor 1 is nearly as good
    problem = RoundInput(
        seekers=4,
        free=np.array([4, 4]),
        load=np.array([0, 0]),
        edge_seeker=np.array([0, 0, 1, 1, 2, 2, 3, 3]),
        edge_contributor=np.array([0, 1, 0, 1, 0, 1, 0, 1]),
        edge_score=np.array([0.9, 0.85, 0.9, 0.85, 0.9, 0.85, 0.9, 0.85]),
    )
    result = solve_round(problem)
    assert sorted(np.bincount(list(result.assignment.values()), minlength=2)) == [2, 2]
    greedy = greedy_round(problem)
    assert np.bincount(list(greedy.assignment.values()), minlength=2).tolist() == [4, 0]
    assert gap_percent(result, greedy) > 0
    no_fairness = solve_round(RoundInput(**{**problem.__dict__, "fairness": 0}))
    assert no_fairness.match_cost == 400  # all four on contributor 0 is cheapest by fit alone


def test_round_matches_as_many_as_capacity_allows():
    # seeker 0 could take either; seeker 1 only contributor 0, which has one place
    problem = RoundInput(
        seekers=2,
        free=np.array([1, 1]),
        load=np.array([0, 0]),
        edge_seeker=np.array([0, 0, 1]),
        edge_contributor=np.array([0, 1, 0]),
        edge_score=np.array([1.0, 0.1, 0.2]),
    )
    result = solve_round(problem)
    assert result.assignment == {0: 1, 1: 0}
    assert result.unmatched == 0


def test_impossible_pins_are_refused():
    problem = RoundInput(
        seekers=2,
        free=np.array([1]),
        load=np.array([0]),
        edge_seeker=np.array([0, 1]),
        edge_contributor=np.array([0, 0]),
        edge_score=np.array([0.5, 0.5]),
        pins=frozenset({(0, 0), (1, 0)}),
    )
    with pytest.raises(RoundError, match="more pins than free places"):
        solve_round(problem)
    not_candidate = RoundInput(**{**problem.__dict__, "pins": frozenset({(0, 1)})})
    with pytest.raises(RoundError, match="not a candidate"):
        solve_round(not_candidate)


# --- a round from facts ------------------------------------------------------------------


def _round_world():
    people = [
        contributor(1),
        contributor(2, load=1),
        contributor(3, kinds=frozenset({"consultancy"})),
        contributor(4, available=False),
    ]
    first = AskFacts(**{**ASK.__dict__, "id": 10})
    second = AskFacts(**{**ASK.__dict__, "id": 11})
    # the second ask was sent to contributor 1 before
    seekers = [RoundSeeker(first), RoundSeeker(second, asked=frozenset({1}))]
    return people, first, second, seekers


def test_round_plan_maps_ids_candidates_pins_and_forbids():
    people, first, second, seekers = _round_world()
    plan = round_plan(
        seekers,
        people,
        # 2 is outside the first ask's single candidate but can take it; 3 cannot take asks
        # of this kind; ask 99 is not in the round
        pins=frozenset({(10, 2), (11, 3), (99, 1)}),
        forbids=frozenset({(11, 2)}),
        fairness=50,
        candidates=1,
    )
    assert plan.ask_ids == (10, 11)
    assert plan.contributor_ids == (1, 2)
    problem = plan.problem
    assert problem.seekers == 2
    assert problem.free.tolist() == [3, 2]
    assert problem.load.tolist() == [0, 1]
    assert problem.edge_seeker.tolist() == [0, 0, 1]
    assert problem.edge_contributor.tolist() == [0, 1, 1]
    assert problem.edge_score.tolist() == [
        score_one(first, people[0]).score,
        score_one(first, people[1]).score,
        score_one(second, people[1]).score,
    ]
    assert problem.pins == frozenset({(0, 1)})
    assert problem.forbids == frozenset({(1, 1)})
    assert problem.fairness == 50
    assert plan.pins_not_applicable == ((11, 3), (99, 1))
    assert set(plan.candidates) == {(10, 1), (10, 2), (11, 2)}


def test_round_plan_never_proposes_the_ineligible_or_the_already_asked():
    people, _first, _second, seekers = _round_world()
    plan = round_plan(seekers, people, candidates=10)
    assert 3 not in plan.contributor_ids
    assert 4 not in plan.contributor_ids
    assert (11, 1) not in plan.candidates
    assert sorted(plan.candidates) == [(10, 1), (10, 2), (11, 2)]


def test_round_summary_reports_the_solution_by_id():
    people, first, _second, seekers = _round_world()
    plan = round_plan(
        seekers,
        people,
        pins=frozenset({(10, 2), (99, 1)}),
        forbids=frozenset({(11, 2)}),
        candidates=1,
    )
    result = solve_round(plan.problem)
    pinned = score_one(first, people[1])
    assert plan.pairs(result) == [RoundPair(ask_id=10, suggestion=pinned, pinned=True)]
    greedy = greedy_round(plan.problem)
    assert round_summary(plan, result, greedy, seconds=0.12345) == {
        "seekers": 2,
        "contributors": 2,
        "pairs": 3,
        "matched": 1,
        "unmatched": 1,
        "objective": result.objective,
        "match_cost": round((1 - pinned.score) * 1000),
        "fairness_cost": 50,  # the pinned contributor already fills one place
        "mean_fit": round(pinned.score, 3),
        "largest_load": 1,
        "contributors_used": 1,
        "greedy_matched": 1,
        "greedy_cost": round((1 - pinned.score) * 1000) + 50,
        "gap_percent": 0.0,
        "seconds": 0.123,
        "pins_not_applicable": [[99, 1]],
    }


def test_a_pin_on_someone_who_cannot_take_the_ask_does_not_hold():
    # the first ask is in person: only contributor 1 lives in Pakistan, contributor 2 is a
    # candidate of the second ask only
    people = [contributor(1, in_pakistan=True), contributor(2)]
    in_person = AskFacts(**{**ASK.__dict__, "id": 10, "in_person": True})
    online = AskFacts(**{**ASK.__dict__, "id": 11})
    seekers = [RoundSeeker(in_person), RoundSeeker(online, asked=frozenset({1}))]
    plan = round_plan(seekers, people, pins=frozenset({(10, 2)}), candidates=1)
    assert plan.contributor_ids == (1, 2)
    assert (10, 2) not in plan.candidates
    assert plan.problem.pins == frozenset({(0, 1)})
    assert plan.pins_not_applicable == ()
    with pytest.raises(RoundError, match="not a candidate"):
        solve_round(plan.problem)


def test_a_pin_on_someone_outside_the_round_is_set_aside():
    people, _first, _second, seekers = _round_world()
    full = [people[0], ContributorFacts(**{**people[1].__dict__, "capacity": 1})]
    plan = round_plan(seekers, full, pins=frozenset({(10, 2)}), candidates=1)
    assert plan.contributor_ids == (1,)
    assert plan.problem.pins == frozenset()
    assert plan.pins_not_applicable == ((10, 2),)


def test_an_empty_round_has_nothing_to_assign():
    plan = round_plan([], [contributor(1)])
    result = solve_round(plan.problem)
    summary = round_summary(plan, result, greedy_round(plan.problem), seconds=0.0)
    assert (plan.ask_ids, plan.contributor_ids, plan.pairs(result)) == ((), (), [])
    assert (summary["matched"], summary["mean_fit"], summary["largest_load"]) == (0, 0.0, 0)
