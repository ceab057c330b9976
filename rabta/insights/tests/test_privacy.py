"""Published cells: never a count from 1 to the threshold minus one, and no hidden count that
can be worked out from any pair of views (or from the totals a view shows)."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rabta.core.models import Event
from rabta.insights import selectors as sel
from rabta.insights import services
from rabta.insights.models import DailyCount, TotalCount
from rabta.insights.tests.factories import random_events

pytestmark = pytest.mark.django_db
ALL = sel.ALL
LIMIT = 10


def truth(stat: str) -> dict[tuple, float]:
    """Every cell any view of ``stat`` can publish, computed from the rollups directly."""
    cells: dict[tuple, float] = defaultdict(int)
    for r in TotalCount.objects.filter(stat=stat):
        for c in (r.cohort, ALL):
            if r.dim == "":
                cells[("t", c)] += r.count
            else:
                cells[("d", r.dim, c, r.value)] += r.count
    for r in DailyCount.objects.filter(stat=stat):
        for c in (r.cohort, ALL):
            cells[("s", c, r.day.isoformat())] += r.count
    return dict(cells)


def relations(cells: dict[tuple, float]) -> list[tuple[tuple, list[tuple]]]:
    """What anyone knows about the cells without seeing them: which ones add up to which."""
    out: list[tuple[tuple, list[tuple]]] = []
    cohorts = sorted({k[1] for k in cells if k[0] == "t" and k[1] != ALL})
    out.append((("t", ALL), [("t", c) for c in cohorts]))
    by_dim: dict[str, set[str]] = defaultdict(set)
    for k in cells:
        if k[0] == "d":
            by_dim[k[1]].add(k[3])
    for dim, values in by_dim.items():
        for c in (*cohorts, ALL):
            out.append((("t", c), [("d", dim, c, v) for v in values if ("d", dim, c, v) in cells]))
        for v in values:
            out.append(
                (
                    ("d", dim, ALL, v),
                    [("d", dim, c, v) for c in cohorts if ("d", dim, c, v) in cells],
                )
            )
    for c in (*cohorts, ALL):
        for p in by_dim.get("province", ()):
            members = [
                ("d", "district", c, v) for v in by_dim.get("district", ()) if v.startswith(f"{p}/")
            ]
            members = [m for m in members if m in cells]
            if p and members:
                out.append((("d", "province", c, p), members))
    days = sorted({k[2] for k in cells if k[0] == "s"})
    for c in (*cohorts, ALL):
        out.append((("t", c), [("s", c, d) for d in days if ("s", c, d) in cells]))
    for d in days:
        out.append((("s", ALL, d), [("s", c, d) for c in cohorts if ("s", c, d) in cells]))
    return out


def published_views(stat: str, dims: tuple[str, ...]) -> list[dict[tuple, int | None]]:
    cohorts = [*sel.cohorts_known(), "", ALL]
    views = []
    for c in cohorts:
        total = sel.breakdown(stat=stat, cohort=c)
        views.append({("t", c): total.count})
        for dim in dims:
            view = sel.breakdown(stat=stat, dim=dim, cohort=c)
            cells = {("d", dim, c, v): n for v, n, _t in view.rows}
            cells[("t", c)] = view.count
            views.append(cells)
        views.append({("s", c, d.isoformat()): n for d, n in sel.series(stat=stat, cohort=c)})
    return views


def determined(known: dict[tuple, float], rels, hidden: set[tuple]) -> set[tuple]:
    """Hidden cells whose value follows from ``known`` and the relations: the cell's unit
    vector lies in the row space of the relations over the unknowns (rank test)."""
    unknown = sorted(
        {k for total, members in rels for k in (total, *members)} - set(known), key=repr
    )
    index = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, members in rels:
        row = np.zeros(len(unknown))
        for k, sign in ((total, -1), *((m, 1) for m in members)):
            if k in index:
                row[index[k]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    out = set()
    for k in hidden:
        unit = np.zeros(len(unknown))
        unit[index[k]] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.add(k)
    return out


STATS_CHECKED = {
    "applied": ("gender", "province", "district", "career"),
    "earnings": ("gender", "pathway"),
}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(n=st.integers(min_value=40, max_value=900), seed=st.integers(0, 10_000))
def test_no_small_cell_is_published_and_none_follows_from_a_pair_of_views(n, seed):
    Event.objects.all().delete()
    cache.clear()
    random_events(n, seed=seed, days=6)
    services.rollups_rebuild()
    for stat, dims in STATS_CHECKED.items():
        cells = truth(stat)
        rels = relations(cells)
        views = published_views(stat, dims)
        for view in views:
            for key, shown in view.items():
                assert shown is None or shown == 0 or shown >= LIMIT, (stat, key, shown)
                assert shown is None or shown == cells.get(key, 0), (stat, key)
        for a, b in itertools.combinations_with_replacement(views, 2):
            pair = {**a, **b}
            known = {k: v for k, v in pair.items() if v is not None}
            hidden = {k for k, v in pair.items() if v is None}
            leaked = determined(known, rels, hidden)
            assert not leaked, (stat, sorted(leaked, key=repr)[:3])


def test_a_single_small_cell_hides_its_complement_and_totals_still_show():
    # 30 applications in one cohort: 3 women, 27 men.  Showing the total and the men would
    # give the women away, so the men are hidden too.
    for gender, count in (("woman", 3), ("man", 27)):
        Event.objects.bulk_create(
            [Event(kind="programme.applied", cohort="c1", gender=gender) for _ in range(count)]
        )
    services.rollups_fill()
    view = sel.breakdown(stat="applied", dim="gender", cohort="c1")
    assert view.count == 30
    assert {v: n for v, n, _t in view.rows} == {"woman": None, "man": None}
