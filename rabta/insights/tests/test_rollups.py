"""The rollups equal a direct recount of the events, and the fill is idempotent and resumes."""

from collections import Counter
from unittest import mock

import pytest
from django.utils import timezone

from rabta.core.models import Event
from rabta.insights import services
from rabta.insights.models import DailyCount, FillState, TotalCount
from rabta.insights.services import PAKISTAN
from rabta.insights.stats import STATS
from rabta.insights.tests.factories import random_events

pytestmark = pytest.mark.django_db


def recount() -> tuple[Counter, Counter]:
    """The rollups' content computed the slow, obvious way from the raw events."""
    totals: Counter = Counter()
    days: Counter = Counter()
    seen: dict[str, set] = {stat.name: set() for stat in STATS}
    for e in Event.objects.order_by("id"):
        for stat in STATS:
            if e.kind not in stat.kinds:
                continue
            if stat.once_per:
                key = getattr(e, f"{stat.once_per}_id")
                if key is not None and key in seen[stat.name]:
                    continue
                seen[stat.name].add(key)
            item = stat.item_of(e.item, e.value)
            for dim in ("", *stat.dims):
                if dim == "district":
                    value = f"{e.province}/{e.district}" if e.province else ""
                else:
                    value = getattr(e, dim) if dim else ""
                totals[(stat.name, dim, e.cohort, value, item, "n")] += 1
                totals[(stat.name, dim, e.cohort, value, item, "t")] += e.value or 0
            day = timezone.localtime(e.at, PAKISTAN).date()
            days[(stat.name, day, e.cohort, "n")] += 1
            days[(stat.name, day, e.cohort, "t")] += e.value or 0
    return +totals, +days


def stored() -> tuple[Counter, Counter]:
    totals: Counter = Counter()
    for r in TotalCount.objects.all():
        totals[(r.stat, r.dim, r.cohort, r.value, r.item, "n")] += r.count
        totals[(r.stat, r.dim, r.cohort, r.value, r.item, "t")] += r.total
    days: Counter = Counter()
    for r in DailyCount.objects.all():
        days[(r.stat, r.day, r.cohort, "n")] += r.count
        days[(r.stat, r.day, r.cohort, "t")] += r.total
    return +totals, +days


def assert_equal(a: Counter, b: Counter) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == pytest.approx(b[key]), key


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_a_direct_recount_of_random_events(seed):
    random_events(1500, seed=seed)
    report = services.rollups_fill(chunk=400)
    assert report.events == 1500
    assert report.chunks == 4
    expected_totals, expected_days = recount()
    got_totals, got_days = stored()
    assert expected_totals, "the random events must feed some stats"
    assert_equal(got_totals, expected_totals)
    assert_equal(got_days, expected_days)


def test_filling_again_adds_nothing_and_new_events_are_added_once():
    random_events(600, seed=4)
    services.rollups_fill()
    before = stored()
    version = FillState.objects.get().version
    again = services.rollups_fill()
    assert again.events == 0
    assert stored() == before
    assert FillState.objects.get().version == version  # nothing filled: cached tiles stay
    random_events(300, seed=5)
    services.rollups_fill(chunk=100)
    services.rollups_fill(chunk=100)
    assert_equal(stored()[0], recount()[0])


def test_a_fill_that_dies_mid_way_resumes_where_it_stopped_and_counts_nothing_twice():
    random_events(900, seed=6)
    real = services._upsert
    calls = {"n": 0}

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:  # the third chunk's totals are written, then the process dies
            real(*args, **kwargs)
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    with mock.patch.object(services, "_upsert", dying), pytest.raises(RuntimeError):
        services.rollups_fill(chunk=200)
    state = FillState.objects.get()
    ids = list(Event.objects.order_by("id").values_list("id", flat=True))
    assert state.last_event_id == ids[399]  # two chunks committed, the third rolled back
    services.rollups_fill(chunk=200)
    assert_equal(stored()[0], recount()[0])
    assert_equal(stored()[1], recount()[1])


def test_a_rebuild_gives_the_same_rollups_as_the_incremental_fill():
    random_events(700, seed=7)
    services.rollups_fill(chunk=150)
    incremental = stored()
    services.rollups_rebuild(chunk=500)
    assert stored() == incremental


def test_the_fill_leaves_events_younger_than_the_lag_for_the_next_run(settings):
    settings.INSIGHTS_FILL_LAG_SECONDS = 60
    old = random_events(10, seed=8)
    Event.objects.update(at=timezone.now() - timezone.timedelta(hours=2))
    Event.objects.create(kind="programme.applied", cohort="c-2026-1")
    report = services.rollups_fill()
    assert report.events == 10
    assert FillState.objects.get().last_event_id == old[-1].pk
