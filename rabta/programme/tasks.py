from __future__ import annotations

from functools import partial

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from rabta.core.jobs import Outcome, Progress, job_task


@shared_task(ignore_result=True)
def application_notify(application_id: int, notice: str, key: str = "") -> None:
    """Tell an applicant about an offer, an expiry, a session tomorrow or a certificate.
    Sent once per (application, notice, key)."""
    from rabta.programme.models import Application
    from rabta.programme.services.notices import application_tell

    application = (
        Application.objects.select_related("user", "cohort").filter(pk=application_id).first()
    )
    if application is not None:
        application_tell(application, notice, key)


@job_task(_("Seat offers: expire those past their deadline"))
def offers_expire_task() -> Outcome:
    from rabta.programme.services import offers_expire

    return Outcome(f"{offers_expire()} offers expired")


@job_task(_("Issue a cohort's certificates"))
def certificates_issue_task(cohort_id: int, *, progress: Progress) -> Outcome:
    from rabta.programme.services import certificates_issue

    return Outcome(
        f"{certificates_issue(cohort_id=cohort_id, progress=progress)} certificates issued"
    )


@job_task(_("Live session reminders a day before"))
def session_reminders_send() -> int:
    """Email each confirmed participant about tomorrow's sessions, once per session."""
    from datetime import timedelta

    from django.utils import timezone

    from rabta.programme.models import Application, LiveSession
    from rabta.programme.services.notices import applications_tell

    now = timezone.now()
    sent = 0
    for session in LiveSession.objects.filter(
        starts_at__gt=now, starts_at__lte=now + timedelta(hours=24)
    ):
        participants = Application.objects.filter(cohort_id=session.cohort_id, state="confirmed")
        sent += applications_tell(participants, "reminder", partial(_session_key, session.pk))
    return sent


def _session_key(session_id: int, _application: object) -> str:
    return f"session-{session_id}"


@job_task(_("Seat offer deadline reminders"))
def offer_deadline_reminders_send() -> int:
    """Remind people whose seat offer expires within 24 hours, once per offer."""
    from datetime import timedelta

    from django.utils import timezone

    from rabta.programme.models import Application

    now = timezone.now()
    due = Application.objects.filter(
        state="offered", offer_expires_at__gt=now, offer_expires_at__lte=now + timedelta(hours=24)
    )
    from rabta.programme.services.notices import applications_tell

    def deadline(application: Application) -> str:
        assert application.offer_expires_at is not None  # the filter keeps only those with one
        return f"deadline-{application.offer_expires_at.isoformat()}"

    return applications_tell(due, "deadline", deadline)


@job_task(_("Fair allocation of a cohort"))
def allocation_run_task(cohort_id: int, seed: int, commit: bool, actor_id: int) -> Outcome:
    from django.urls import reverse

    from rabta.accounts.models import User
    from rabta.programme.services import allocation_run

    actor = User.objects.get(pk=actor_id)
    run = allocation_run(actor=actor, cohort_id=cohort_id, seed=seed, commit=commit)
    page = reverse("programme:staff_allocation", args=[run.cohort.slug])
    summary = run.summary
    return Outcome(
        f"{summary['selected']} of {summary['applicants']} selected (seed {seed})"
        + (", committed" if commit else ", dry run"),
        url=f"{page}?run={run.pk}",
    )
