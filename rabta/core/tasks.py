"""The task facade.  Every background job goes through ``task_enqueue``:

* it is enqueued only after the surrounding transaction commits, so a worker never sees a
  primary key whose row was rolled back;
* tasks take primary keys and are idempotent, so a retry or a duplicate delivery is harmless;
* a worker runs them, never the web request (the test suite alone runs them inline).

Long actions and scheduled jobs are declared with ``core.jobs.job_task`` and started with
``core.jobs.job_start``, so people and staff can follow them.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from rabta.core.jobs import Outcome, job_task, jobs_recover


def task_enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    # robust: a broker down at this moment must not fail a request whose change committed (the
    # sweeps send what was left behind)
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs), robust=True)


@shared_task(bind=True, ignore_result=True, max_retries=6)
def email_send_task(self: Task, email_id: int) -> Any:
    """Send one email of the outbox (``core.emails``), once; when the mail server refuses it,
    try again later, waiting twice as long each time, until the outbox row gives up."""
    from rabta.core.emails import email_deliver, retry_countdown
    from rabta.core.models import Email

    outcome = email_deliver(email_id=email_id)
    if outcome == "retry" and self.request.retries < (self.max_retries or 0):
        attempts = Email.objects.filter(pk=email_id).values_list("attempts", flat=True).first()
        # The retry is sent, not raised: the failure is already recorded on the row, and an
        # inline run (the test suite's) retries at once instead of failing the caller.
        return self.retry(countdown=retry_countdown(attempts or 1), throw=False)
    return outcome


@job_task(_("Email: send again what a lost message or a stopped worker left"))
def emails_sweep_task() -> Outcome:
    from rabta.core.emails import emails_sweep

    return Outcome(f"{emails_sweep()} emails sent again")


@job_task(_("Email: the daily and weekly digests, at each person's hour"))
def digests_send_task() -> Outcome:
    from rabta.core.digests import digests_send

    return Outcome(f"{digests_send()} digests written")


@job_task(_("Background jobs: take over stopped ones"))
def jobs_recover_task() -> Outcome:
    return Outcome(f"{jobs_recover()} sent again")
