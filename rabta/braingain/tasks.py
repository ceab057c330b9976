from __future__ import annotations

from celery import shared_task

from rabta.braingain import services


@shared_task
def requests_expire_task() -> tuple[int, int]:
    """Expire overdue requests (moving each ask on) and send the day-before reminders."""
    return services.requests_expire()
