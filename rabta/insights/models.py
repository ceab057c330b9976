"""Rollups of the domain events: what every dashboard reads.  Written only by
``services.rollups_fill``; nothing here points at a person."""

from __future__ import annotations

from django.db import models


class FillState(models.Model):
    """One row: the last event rolled up.  Its ``version`` names the cached dashboard tiles,
    so a tile computed before the latest fill is never served after it."""

    last_event_id = models.BigIntegerField(default=0)
    version = models.BigIntegerField(default=0)
    filled_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [
            ("view_dashboard", "Can read the council dashboards"),
            ("generate_report", "Can generate the council's monthly report"),
        ]


class TotalCount(models.Model):
    """A stat to date, by cohort, by one dimension's value and by item.  ``dim`` is "" for the
    stat's total (then ``value`` is "").  ``total`` adds the events' amounts (dollars, hours)."""

    stat = models.CharField(max_length=48)
    cohort = models.CharField(max_length=64)
    dim = models.CharField(max_length=16)
    value = models.CharField(max_length=120)
    item = models.CharField(max_length=200)
    count = models.BigIntegerField(default=0)
    total = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "stat", "dim", "cohort", "value", "item", name="insights_total_unique"
            )
        ]


class DailyCount(models.Model):
    """A stat's total per day (Pakistan time) and cohort: the time series."""

    stat = models.CharField(max_length=48)
    day = models.DateField()
    cohort = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)
    total = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint("stat", "day", "cohort", name="insights_daily_unique")
        ]


class Member(models.Model):
    """Who a once-per-person stat has already counted (an opaque key, never shown), so that a
    second assessment or a re-published portfolio is not counted twice."""

    stat = models.CharField(max_length=48)
    key = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint("stat", "key", name="insights_member_unique")]


class MonthlyReport(models.Model):
    """The council's report for a month, frozen when generated so that what was published
    stays what it was."""

    month = models.DateField(unique=True)  # the first day of the month
    data = models.JSONField()
    generated_at = models.DateTimeField(auto_now=True)
    fill_version = models.BigIntegerField()

    class Meta:
        ordering = ["-month"]
