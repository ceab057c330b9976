from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def outcome_reminders_task() -> int:
    """Send the 30/60/90-day outcome reminders that are due (idempotent: each is sent once)."""
    from rabta.portfolio.services import outcome_reminders_send

    return outcome_reminders_send()
