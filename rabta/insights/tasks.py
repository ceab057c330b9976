from __future__ import annotations

from celery import shared_task

from rabta.insights import reports, selectors, services


@shared_task
def rollups_fill_task() -> int:
    """Roll up the events since the last run (Celery beat, every minute)."""
    return services.rollups_fill().events


@shared_task
def monthly_report_task() -> bool:
    """Generate last month's report once, on the first run of a new month."""
    month = reports.month_last()
    if selectors.report_exists(month=month):
        return False
    reports.report_generate(month=month)
    return True
