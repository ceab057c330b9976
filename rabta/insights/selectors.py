"""What the dashboards may publish: rollup rows gathered into families of linked cells and
protected together (``rabta.engine.disclosure``), cached under the fill's version.

A family is every view of one stat cut by one dimension: each cohort's row and the all-cohorts
row, each value and the row's total.  The totals (per cohort and overall) are shared by every
dimension's family of the stat, so they are protected first, on their own, and then held fixed:
a total hidden in one view is hidden in all, and none can be recovered by comparing two of
them.  Districts carry their province ("Punjab/Lahore") and are protected with the province
cells fixed, so the district and the province views tie up safely too.

Only these functions read the rollup tables; nothing here reads a person's row.  The pages'
other reads (cohorts, sessions, the frozen monthly reports) are at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet, Sum

from rabta.core.models import Job
from rabta.core.privacy import threshold
from rabta.core.selectors import job_latest
from rabta.engine.disclosure import protect
from rabta.insights.models import DailyCount, FillState, MonthlyReport, TotalCount
from rabta.insights.stats import BY_NAME
from rabta.programme import selectors as programme
from rabta.programme.models import Cohort, LiveSession

ALL = "*"


@dataclass
class Family:
    """Published cells: ``count[key]`` is None where hidden, and so is ``total[key]`` (the
    summed amount rides on its count's protection)."""

    count: dict[Any, int | None] = field(default_factory=dict)
    total: dict[Any, float | None] = field(default_factory=dict)
    hidden: int = 0


def _version() -> str:
    row = FillState.objects.filter(pk=1).values_list("version", "rebuilt_at").first()
    return f"{row[0]}.{row[1].timestamp() if row and row[1] else 0}" if row else "0"


def _cached(name: str, build: Any) -> Any:
    key = f"insights:{_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=3600)
    return value


def _finish(raw_count: dict[Any, int], raw_total: dict[Any, float], hidden: set[Any]) -> Family:
    return Family(
        count={k: (None if k in hidden else int(v)) for k, v in raw_count.items()},
        total={k: (None if k in hidden else round(raw_total.get(k, 0.0), 2)) for k in raw_count},
        hidden=len(hidden),
    )


def _totals_family(stat: str) -> Family:
    def build() -> Family:
        rows = TotalCount.objects.filter(stat=stat, dim="").values("cohort")
        rows = rows.annotate(n=Sum("count"), t=Sum("total"))
        count: dict[Any, int] = {}
        total: dict[Any, float] = {}
        for row in rows:
            count[(row["cohort"], ALL)] = row["n"]
            total[(row["cohort"], ALL)] = row["t"]
        count[(ALL, ALL)] = sum(count.values())
        total[(ALL, ALL)] = sum(total.values())
        members = [k for k in count if k != (ALL, ALL)]
        hidden = protect(count, [((ALL, ALL), members)], limit=threshold())
        return _finish(count, total, hidden)

    return _cached(f"totals:{stat}", build)  # type: ignore[no-any-return]


def _summed(
    raw_count: dict[tuple[str, str], int], raw_total: dict[tuple[str, str], float]
) -> tuple[dict[Any, int], dict[Any, float]]:
    """The cells with the all-cohorts row added, and each row's total count."""
    count: dict[Any, int] = defaultdict(int)
    total: dict[Any, float] = defaultdict(float)
    for (cohort, value), n in raw_count.items():
        for c in (cohort, ALL):
            count[(c, value)] += n
            total[(c, value)] += raw_total.get((cohort, value), 0.0)
            count[(c, ALL)] += n
    return count, total


def _groups(
    raw_count: dict[tuple[str, str], int], count: dict[Any, int]
) -> list[tuple[Any, list[Any]]]:
    """The sums the protection keeps: each cohort's row (and the all-cohorts row) sums its
    values, and each value's all-cohorts cell sums the cohorts'."""
    cohorts = sorted({c for c, _v in raw_count})
    values = sorted({v for _c, v in raw_count})
    groups: list[tuple[Any, list[Any]]] = [
        ((c, ALL), [(c, v) for v in values if (c, v) in count]) for c in [*cohorts, ALL]
    ]
    groups += [((ALL, v), [(c, v) for c in cohorts if (c, v) in count]) for v in values]
    return groups


def _linked(
    stat: str,
    raw_count: dict[tuple[str, str], int],
    raw_total: dict[tuple[str, str], float],
    *,
    extra: list[tuple[Any, int, bool, list[Any]]] = (),  # type: ignore[assignment]
) -> Family:
    """Protect cells keyed (cohort, value) with their all-cohorts row and each row's total,
    the totals held as the stat's totals family published them.  ``extra`` adds fixed cells
    from another family (key, value, hidden, the members they sum)."""
    margins = _totals_family(stat)
    count, total = _summed(raw_count, raw_total)
    fixed: dict[Any, bool] = {}
    for key, shown in margins.count.items():
        count.setdefault(key, 0)
        fixed[key] = shown is None
    groups = _groups(raw_count, count)
    for key, n, hide, members in extra:
        count[key] = n
        fixed[key] = hide
        groups.append((key, members))
    hidden = protect(dict(count), groups, limit=threshold(), fixed=fixed)
    family = _finish(dict(count), dict(total), hidden)
    for key in [k for k in family.count if len(k) != 2]:
        del family.count[key], family.total[key]
    for key in margins.count:  # the margins keep their own amounts
        family.total[key] = margins.total[key]
    return family


def _raw(stat: str, dim: str) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], float]]:
    count: dict[tuple[str, str], int] = defaultdict(int)
    total: dict[tuple[str, str], float] = defaultdict(float)
    rows = TotalCount.objects.filter(stat=stat, dim=dim).values("cohort", "value")
    for row in rows.annotate(n=Sum("count"), t=Sum("total")):
        count[(row["cohort"], row["value"])] += row["n"]
        total[(row["cohort"], row["value"])] += row["t"]
    return count, total


def _dimension_family(stat: str, dim: str) -> Family:
    def build() -> Family:
        raw_count, raw_total = _raw(stat, dim)
        extra: list[tuple[Any, int, bool, list[Any]]] = []
        if dim == "district":
            provinces = _dimension_family(stat, "province")
            province_count, _t = _raw(stat, "province")
            for (c, province), shown in provinces.count.items():
                if not province or province == ALL:
                    continue
                n = (
                    sum(v for (cc, p), v in province_count.items() if p == province)
                    if c == ALL
                    else province_count.get((c, province), 0)
                )
                members: list[Any] = [
                    (c, v)
                    for (cc, v) in raw_count
                    if (cc == c or c == ALL) and v.startswith(f"{province}/")
                ]
                if members:
                    extra.append(
                        (("province", c, province), n, shown is None, sorted(set(members)))
                    )
        return _linked(stat, raw_count, raw_total, extra=extra)

    return _cached(f"dim:{stat}:{dim}", build)  # type: ignore[no-any-return]


def _item_family(stat: str, dim: str) -> Family:
    """A stat by value (or nothing) × item, all cohorts together, with each item's total over
    the values published: the skill-gap heatmap and its "top gaps" column, or sessions."""

    def build() -> Family:
        count: dict[Any, int] = defaultdict(int)
        total: dict[Any, float] = defaultdict(float)
        rows = TotalCount.objects.filter(stat=stat, dim=dim).values("value", "item")
        for row in rows.annotate(n=Sum("count"), t=Sum("total")):
            count[(row["value"], row["item"])] += row["n"]
            total[(row["value"], row["item"])] += row["t"]
        groups: list[tuple[Any, list[Any]]] = []
        if dim:
            by_item: dict[str, list[Any]] = defaultdict(list)
            for value, item in list(count):
                by_item[item].append((value, item))
            for item, members in by_item.items():
                count[(ALL, item)] = sum(count[m] for m in members)
                total[(ALL, item)] = sum(total[m] for m in members)
                groups.append(((ALL, item), members))
        hidden = protect(dict(count), groups, limit=threshold())
        return _finish(dict(count), dict(total), hidden)

    return _cached(f"item:{stat}:{dim}", build)  # type: ignore[no-any-return]


# --- the views the pages publish ----------------------------------------------------------------


@dataclass
class Breakdown:
    stat: str
    dim: str
    cohort: str
    rows: list[tuple[str, int | None, float | None]]  # value, count, amount
    count: int | None
    amount: float | None


def breakdown(*, stat: str, dim: str = "", cohort: str = ALL) -> Breakdown:
    """One stat for one cohort (or all), by the values of one dimension (or just its total)."""
    if stat not in BY_NAME or (dim and dim not in BY_NAME[stat].dims):
        raise KeyError(f"{stat} has no view by {dim!r}")
    margins = _totals_family(stat)
    key = (cohort, ALL)
    if not dim:
        return Breakdown(
            stat, dim, cohort, [], margins.count.get(key, 0), margins.total.get(key, 0.0)
        )
    family = _dimension_family(stat, dim)
    rows = sorted(
        (
            (value, family.count[(c, value)], family.total[(c, value)])
            for (c, value) in family.count
            if c == cohort and value != ALL
        ),
        key=lambda r: (r[1] is None, -(r[1] or 0), r[0]),
    )
    return Breakdown(
        stat, dim, cohort, rows, margins.count.get(key, 0), margins.total.get(key, 0.0)
    )


def items(*, stat: str, dim: str = "") -> dict[tuple[str, str], int | None]:
    """(value, item) → count for an item stat; (ALL, item) are the items' totals."""
    return dict(_item_family(stat, dim).count)


def items_amounts(*, stat: str, dim: str = "") -> dict[tuple[str, str], float | None]:
    return dict(_item_family(stat, dim).total)


def series(
    *, stat: str, cohort: str = ALL, since: date | None = None
) -> list[tuple[date, int | None]]:
    """A stat per day for a cohort (or all).  The days of every cohort and of all cohorts are
    protected together with the totals, like a dimension."""

    def build() -> Family:
        count: dict[tuple[str, str], int] = defaultdict(int)
        rows = DailyCount.objects.filter(stat=stat).values("cohort", "day")
        for row in rows.annotate(n=Sum("count")):
            count[(row["cohort"], row["day"].isoformat())] += row["n"]
        return _linked(stat, count, {})

    family = _cached(f"series:{stat}", build)
    out = [
        (date.fromisoformat(day), n)
        for (c, day), n in family.count.items()
        if c == cohort and day != ALL
    ]
    return sorted(r for r in out if since is None or r[0] >= since)


def cohorts_known() -> list[str]:
    """Cohort slugs the rollups have seen, newest first as their slugs sort."""
    return sorted(
        {c for c in TotalCount.objects.filter(dim="").values_list("cohort", flat=True) if c},
        reverse=True,
    )


# --- what the pages read besides the rollups: cohorts, sessions and frozen reports ---------------


def cohorts_by_slug() -> dict[str, Cohort]:
    """Every cohort, newest first: what the pages can be filtered by."""
    return {c.slug: c for c in programme.cohorts_newest_first()}


def cohort_current() -> Cohort | None:
    """The cohort taking applications now, or else the latest to start."""
    return programme.cohort_current()


def cohort_sessions(*, cohort: Cohort) -> list[LiveSession]:
    return programme.cohort_sessions(cohort=cohort)


def report_job(*, month: date) -> Job | None:
    """The latest generation of ``month``'s report that someone started from the page."""
    return job_latest(key=f"report:{month:%Y-%m}")


def reports_recent(*, limit: int = 24) -> QuerySet[MonthlyReport]:
    return MonthlyReport.objects.only("month", "generated_at")[:limit]


def report_get(*, month: date) -> MonthlyReport | None:
    return MonthlyReport.objects.filter(month=month).first()


def report_exists(*, month: date) -> bool:
    return MonthlyReport.objects.filter(month=month).exists()
