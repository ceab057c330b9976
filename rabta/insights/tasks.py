from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from rabta.core.jobs import Outcome, job_task
from rabta.insights import reports, selectors, services


@job_task(_("Council dashboards: roll up new events"))
def rollups_fill_task() -> Outcome:
    """Roll up the events since the last run (Celery beat, every minute)."""
    return Outcome(f"{services.rollups_fill().events} events rolled up")


@job_task(_("Council monthly report"))
def monthly_report_task() -> Outcome:
    """Generate last month's report once, on the first run of a new month."""
    month = reports.month_last()
    if selectors.report_exists(month=month):
        return Outcome(f"{month:%B %Y}: already generated")
    reports.report_generate(month=month)
    return Outcome(f"{month:%B %Y}: generated")


@job_task(_("Generate a monthly report"))
def report_generate_task(month: str, actor_id: int | None = None) -> Outcome:
    """A report staff asked for now: built in the background, the page follows the job."""
    from django.urls import reverse

    from rabta.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    report = reports.report_generate(month=date.fromisoformat(month), actor=actor)
    return Outcome(
        f"{report.month:%B %Y}: generated",
        url=reverse("insights:report", args=[f"{report.month:%Y-%m}"]),
    )
