from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rabta.braingain import services
from rabta.core.jobs import Outcome, job_task


@job_task(_("Brain Gain requests: move overdue ones on, remind a day before"))
def requests_expire_task() -> Outcome:
    """Expire overdue requests (moving each ask on) and send the day-before reminders."""
    moved, reminded = services.requests_expire()
    return Outcome(f"{moved} moved on, {reminded} reminded")


@job_task(_("Brain Gain meetings: remind both people a day and an hour before"))
def meetings_remind_task() -> Outcome:
    """Remind both people of each planned session and milestone meeting, once a day before and
    once an hour before."""
    told = services.meetings_remind()
    return Outcome(f"{told} reminded")
