from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rabta.core.jobs import Outcome, job_task


@job_task(_("Outcome reminders 30, 60 and 90 days after a cohort"))
def outcome_reminders_task() -> Outcome:
    """Send the 30/60/90-day outcome reminders that are due (idempotent: each is sent once)."""
    from rabta.portfolio.services import outcome_reminders_send

    return Outcome(f"{outcome_reminders_send()} reminders")
