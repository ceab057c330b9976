"""The rollup fill: domain events in, rollup rows out.

Idempotent and resumable: each chunk of events is rolled up, and the mark of the last event
rolled up moves, in one transaction.  A crash loses at most the chunk in hand, which the next
run does again; running twice adds nothing.  A full rebuild starts the mark at zero.

Events commit in a different order from their ids under concurrent writers, so the fill stops
at the first event younger than ``INSIGHTS_FILL_LAG_SECONDS``: an event still in an open
transaction then is never skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from rabta.core.models import Event
from rabta.core.services import EVENT_DIMENSIONS
from rabta.insights.models import DailyCount, FillState, Member, TotalCount
from rabta.insights.stats import BY_KIND, Stat

PAKISTAN = ZoneInfo("Asia/Karachi")
CHUNK = 50_000
FIELDS = ("id", "kind", "at", "actor_id", "subject_id", *EVENT_DIMENSIONS, "item", "value")


@dataclass
class FillReport:
    events: int = 0
    chunks: int = 0
    last_event_id: int = 0
    version: int = 0


def _lag(seconds: float | None = None) -> timedelta:
    if seconds is None:
        seconds = float(getattr(settings, "INSIGHTS_FILL_LAG_SECONDS", 5))
    return timedelta(seconds=seconds)


def _dimension_value(stat_dim: str, row: dict[str, Any]) -> str:
    if stat_dim == "district":
        # districts are published inside their province, so that the district view and the
        # province view tie together (and are protected together)
        # ("Sindh/" when the district was not given, so a province's districts add up to it)
        return f"{row['province']}/{row['district']}" if row["province"] else ""
    return row[stat_dim] or ""


Cells = dict[tuple[Any, ...], list[float]]  # key -> [count, total]


def _firsts(rows: list[dict[str, Any]]) -> dict[str, dict[int, int]]:
    """For each stat counted once per person (or subject): key -> the first event id of the
    chunk that names it."""
    firsts: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        for stat in BY_KIND.get(row["kind"], ()):
            if stat.once_per:
                key = row[f"{stat.once_per}_id"]
                if key is not None:
                    firsts[stat.name].setdefault(key, row["id"])
    return firsts


def _members_new(firsts: dict[str, dict[int, int]]) -> dict[str, set[int]]:
    """The events that count: the first of each key not counted by an earlier chunk.  The keys
    are remembered (``Member``), so a later chunk does not count them again."""
    counted: dict[str, set[int]] = {}
    for name, keys in firsts.items():
        seen: set[int] = set()
        ids = list(keys)
        for start in range(0, len(ids), 5000):
            seen.update(
                Member.objects.filter(stat=name, key__in=ids[start : start + 5000]).values_list(
                    "key", flat=True
                )
            )
        fresh = {key: first for key, first in keys.items() if key not in seen}
        Member.objects.bulk_create([Member(stat=name, key=key) for key in fresh], batch_size=5000)
        counted[name] = set(fresh.values())
    return counted


def _add(totals: Cells, days: Cells, stat: Stat, row: dict[str, Any]) -> None:
    """Count one event in its stat's cells: every dimension's value, and its day."""
    amount = row["value"] or 0.0
    item = stat.item_of(row["item"], row["value"])
    cohort = row["cohort"] or ""
    for dim in ("", *stat.dims):
        value = _dimension_value(dim, row) if dim else ""
        cell = totals[(stat.name, dim, cohort, value, item)]
        cell[0] += 1
        cell[1] += amount
    day = days[(stat.name, timezone.localtime(row["at"], PAKISTAN).date(), cohort)]
    day[0] += 1
    day[1] += amount


def _aggregate(rows: list[dict[str, Any]]) -> tuple[Cells, Cells]:
    """Totals keyed (stat, dim, cohort, value, item) and days keyed (stat, day, cohort), each
    [count, total], for the events in ``rows`` that are new to their stat."""
    counted = _members_new(_firsts(rows))
    totals: Cells = defaultdict(lambda: [0, 0.0])
    days: Cells = defaultdict(lambda: [0, 0.0])
    for row in rows:
        stats: Iterable[Stat] = BY_KIND.get(row["kind"], ())
        for stat in stats:
            # (an event that names no one cannot be told apart from another: it counts)
            repeated = (
                stat.once_per
                and row[f"{stat.once_per}_id"] is not None
                and row["id"] not in counted.get(stat.name, ())
            )
            if not repeated:
                _add(totals, days, stat, row)
    return totals, days


def _upsert(table: str, keys: tuple[str, ...], rows: dict[tuple[Any, ...], list[float]]) -> None:
    """Add the counts to the rollup rows (created when missing) in batches: one statement on
    SQLite and PostgreSQL alike."""
    columns = (*keys, "count", "total")
    per_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    items = list(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 1000):
            batch = items[start : start + 1000]
            # table and column names are this module's constants; values are parameters
            head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
            tail = (
                f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
                f"count = {table}.count + excluded.count, total = {table}.total + excluded.total"
            )
            sql = head + ", ".join([per_row] * len(batch)) + tail
            params: list[Any] = []
            for key, (count, total) in batch:
                params.extend((*key, count, total))
            cursor.execute(sql, params)


def _chunk_fill(state: FillState, *, chunk: int, cutoff: Any) -> int:
    rows = list(
        Event.objects.filter(id__gt=state.last_event_id).order_by("id").values(*FIELDS)[:chunk]
    )
    for position, row in enumerate(rows):
        if row["at"] > cutoff:
            rows = rows[:position]
            break
    if not rows:
        return 0
    totals, days = _aggregate(rows)
    _upsert(TotalCount._meta.db_table, ("stat", "dim", "cohort", "value", "item"), totals)
    _upsert(DailyCount._meta.db_table, ("stat", "day", "cohort"), days)
    state.last_event_id = rows[-1]["id"]
    state.version += 1
    state.filled_at = timezone.now()
    state.save()
    return len(rows)


def _state_locked() -> FillState:
    """The fill's mark, locked until the transaction ends: one fill at a time."""
    FillState.objects.get_or_create(pk=1)
    return FillState.objects.select_for_update().get(pk=1)


def rollups_fill(
    *, chunk: int = CHUNK, max_chunks: int | None = None, lag: float | None = None
) -> FillReport:
    """Roll up every event not yet rolled up, a chunk per transaction.  Runs one at a time:
    a second caller waits for the lock and then finds less (or nothing) to do."""
    report = FillReport()
    cutoff = timezone.now() - _lag(lag)
    while max_chunks is None or report.chunks < max_chunks:
        with transaction.atomic():
            state = _state_locked()
            done = _chunk_fill(state, chunk=chunk, cutoff=cutoff)
            report.last_event_id, report.version = state.last_event_id, state.version
        if not done:
            break
        report.events += done
        report.chunks += 1
    return report


def rollups_rebuild(*, chunk: int = CHUNK, lag: float | None = None) -> FillReport:
    """Throw the rollups away and roll up every event again (after a stat is added or
    changed).  The reset and the first chunk share a transaction, so no reader sees empty
    rollups with a mark that claims otherwise."""
    with transaction.atomic():
        state = _state_locked()
        TotalCount.objects.all().delete()
        DailyCount.objects.all().delete()
        Member.objects.all().delete()
        state.last_event_id = 0
        state.version += 1
        state.rebuilt_at = timezone.now()
        state.save()
        first = _chunk_fill(state, chunk=chunk, cutoff=timezone.now() - _lag(lag))
    report = rollups_fill(chunk=chunk, lag=lag)
    report.events += first
    report.chunks += 1 if first else 0
    return report


def rollups_refresh(*, every_seconds: int = 10) -> None:
    """Bring the rollups up to date at most once per ``every_seconds`` across all processes:
    what a live tile calls before it reads, so it is live without a fill per request."""
    if cache.add("insights:refresh", 1, timeout=every_seconds):
        rollups_fill()


def filled_at() -> Any:
    return FillState.objects.filter(pk=1).values_list("filled_at", flat=True).first()
