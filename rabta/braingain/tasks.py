from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rabta.braingain import services
from rabta.core.jobs import Outcome, job_task


@job_task(_("Brain Gain requests: move overdue ones on, remind a day before"))
def requests_expire_task() -> Outcome:
    """Expire overdue requests (moving each ask on) and send the day-before reminders."""
    moved, reminded = services.requests_expire()
    return Outcome(f"{moved} moved on, {reminded} reminded")
