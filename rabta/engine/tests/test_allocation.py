from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rabta.engine.allocation import Candidate, Targets, allocate

PROVINCES = ["Punjab", "Sindh", "Khyber Pakhtunkhwa", "Balochistan", "Gilgit-Baltistan"]

candidate_lists = st.lists(
    st.tuples(st.sampled_from(PROVINCES), st.booleans(), st.booleans()), max_size=300
).map(lambda rows: [Candidate(i + 1, p, w, e) for i, (p, w, e) in enumerate(rows)])


@settings(max_examples=150, deadline=None)
@given(
    candidate_lists,
    st.integers(0, 320),
    st.floats(0, 1),
    st.floats(0, 1),
    st.booleans(),
    st.integers(0, 2**32),
)
def test_allocation_invariants(candidates, seats, women, early, floors, seed):
    targets = Targets(women_share=women, early_career_share=early, province_floors=floors)
    result = allocate(candidates, seats, targets, seed)

    selected = result.selected
    assert len(selected) == min(seats, len(candidates))  # never more, never an empty seat
    assert len(result.placements) == len(candidates)
    assert all(p.reason for p in result.placements)  # everyone has a reason
    assert sorted(p.lottery_rank for p in result.placements) == list(range(1, len(candidates) + 1))
    waitlist = [p.waitlist_position or 0 for p in result.placements if not p.selected]
    assert sorted(waitlist) == list(range(1, len(waitlist) + 1))
    # Targets are met whenever the applicants and seats allow it.
    if sum(result.minimums.values()) <= len(selected):
        by_id = {c.id: c for c in candidates}
        got: Counter[str] = Counter()
        for p in selected:
            c = by_id[p.id]
            got[f"province:{c.province}"] += 1
            got["women"] += c.woman
            got["early_career"] += c.early_career
        for key, minimum in result.minimums.items():
            assert got[key] >= minimum, (key, got[key], minimum)
    # The same seed gives the same result.
    assert allocate(candidates, seats, targets, seed).placements == result.placements


def test_targets_pull_in_underrepresented_applicants_ahead_of_the_lottery():
    men = [Candidate(i, "Punjab", False, False) for i in range(1, 91)]
    women = [Candidate(i, "Balochistan", True, True) for i in range(91, 101)]
    result = allocate(men + women, 20, Targets(women_share=0.3), seed=7)
    chosen = {p.id for p in result.selected}
    assert len(chosen & {c.id for c in women}) >= 6
    reasons = {p.id: p.reason for p in result.selected}
    assert any("women's share" in reasons[c.id] for c in women if c.id in chosen)


def test_a_target_larger_than_the_applicant_pool_takes_everyone_who_qualifies():
    candidates = [Candidate(1, "Sindh", True, False)] + [
        Candidate(i, "Sindh", False, False) for i in range(2, 50)
    ]
    result = allocate(candidates, 10, Targets(women_share=0.5), seed=1)
    assert result.minimums["women"] == 1
    assert 1 in {p.id for p in result.selected}


def test_different_seeds_give_different_lotteries():
    candidates = [Candidate(i, "Punjab", False, False) for i in range(1, 200)]
    first = allocate(candidates, 10, Targets(), seed=1)
    second = allocate(candidates, 10, Targets(), seed=2)
    assert {p.id for p in first.selected} != {p.id for p in second.selected}


@pytest.mark.parametrize("bad", [[Candidate(1, "Sindh", False, False)] * 2])
def test_duplicate_candidates_are_refused(bad):
    with pytest.raises(ValueError, match="unique"):
        allocate(bad, 1, Targets(), seed=1)


def test_fifty_thousand_applicants_allocate():
    candidates = [Candidate(i, PROVINCES[i % 5], i % 5 == 0, i % 3 == 0) for i in range(50_000)]
    result = allocate(candidates, 5_000, Targets(0.3, 0.4, True), seed=2026)
    assert len(result.selected) == 5_000
