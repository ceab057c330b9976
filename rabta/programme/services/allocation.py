"""The fair allocation: after the window closes, a seeded lottery with inclusion targets places
every applicant of a cohort at once (thousands of them), so it writes in bulk."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.jobs import job_start
from rabta.core.models import Event, Job
from rabta.core.services import audit_record
from rabta.core.tasks import task_enqueue
from rabta.engine.allocation import Allocation, Candidate, Targets, allocate
from rabta.programme import states
from rabta.programme.events import application_event
from rabta.programme.models import (
    AllocationPolicy,
    AllocationRun,
    Application,
    ApplicationState,
    Cohort,
)
from rabta.programme.selectors import allocation_key
from rabta.programme.tasks import allocation_run_task, application_notify

BATCH = 2000


def _locked_allocatable(cohort_id: int, now: datetime) -> Cohort:
    cohort = Cohort.objects.select_for_update().filter(pk=cohort_id).first()
    if cohort is None:
        raise NotFound()
    _allocatable(cohort, now)
    return cohort


def _allocatable(cohort: Cohort, now: datetime) -> None:
    if cohort.policy != AllocationPolicy.FAIR:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("This cohort allocates first come, first served.")
        )
    if now < cohort.applications_close_at:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Allocation runs after the application window closes."),
        )
    if AllocationRun.objects.filter(cohort=cohort, committed=True).exists():
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("This cohort has already been allocated.")
        )


def allocation_start(*, actor: User, cohort_id: int, seed: int, commit: bool) -> Job:
    """Run the allocation in the background (thousands of applicants): refused at once when
    the cohort cannot be allocated, otherwise the page answers and follows the job.  One
    allocation job of a cohort at a time."""
    if not actor.has_perm("programme.run_allocation"):
        raise NotFound()
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        raise NotFound()
    _allocatable(cohort, timezone.now())
    return job_start(
        allocation_run_task,
        cohort_id,
        seed,
        commit,
        actor.pk,
        user=actor,
        key=allocation_key(cohort),
    )


def _summary(cohort: Cohort, pool: list[Application], result: Allocation) -> dict[str, Any]:
    return {
        "seats": cohort.seats - cohort.seats_taken,
        "applicants": len(pool),
        "selected": len(result.selected),
        "minimums": result.minimums,
        "achieved": result.achieved,
        "applicant_counts": result.applicants,
    }


def allocation_run(
    *,
    actor: User,
    cohort_id: int,
    seed: int,
    commit: bool,
    now: datetime | None = None,
    notify: bool = True,
) -> AllocationRun:
    """Run the fair allocation for a cohort whose window has closed.  A dry run only reports the
    projected composition; a committed run places every applicant, once."""
    if not actor.has_perm("programme.run_allocation"):
        raise NotFound()
    now = now or timezone.now()
    with transaction.atomic():
        cohort = _locked_allocatable(cohort_id, now)
        pool = list(
            Application.objects.filter(cohort=cohort, state=ApplicationState.SUBMITTED).only(
                "pk",
                "cohort_id",
                "state",
                "province",
                "district",
                "gender",
                "discipline",
                "early_career",
            )
        )
        for application in pool:
            application.cohort = cohort  # the events name it; no query per application
        targets = Targets(
            women_share=float(cohort.target_women_share),
            early_career_share=float(cohort.target_early_career_share),
            province_floors=cohort.province_floors,
        )
        result = allocate(
            [Candidate(a.pk, a.province, a.gender == "woman", a.early_career) for a in pool],
            cohort.seats - cohort.seats_taken,
            targets,
            seed,
        )
        run = AllocationRun.objects.create(
            cohort=cohort,
            seed=seed,
            committed=commit,
            created_by=actor,
            summary=_summary(cohort, pool, result),
        )
        audit_record(
            actor=actor,
            action="programme.allocation_committed" if commit else "programme.allocation_dry_run",
            target=cohort,
            seed=seed,
            selected=len(result.selected),
        )
        if commit:
            _place(
                cohort, pool, result, actor=actor, expires=now + timedelta(days=cohort.offer_days)
            )
    if commit and notify:
        for placement in result.selected:
            task_enqueue(application_notify, placement.id, "offered")
    return run


def _place(
    cohort: Cohort, pool: list[Application], result: Allocation, *, actor: User, expires: datetime
) -> None:
    """Write every placement: two batched state changes (offered, waitlisted), the seat count,
    and one event per applicant with that applicant's dimensions."""
    by_id = {a.pk: a for a in pool}
    selected: list[Application] = []
    waiting: list[Application] = []
    for placement in result.placements:
        application = by_id[placement.id]
        application.lottery_rank = placement.lottery_rank
        application.placement_reason = placement.reason
        if placement.selected:
            application.offer_expires_at = expires
            selected.append(application)
        else:
            waiting.append(application)
    fields = ("lottery_rank", "placement_reason")
    states.transition_many(
        states.APPLICATION,
        selected,
        "selected",
        part="system",
        actor=actor,
        fields=(*fields, "offer_expires_at"),
    )
    states.transition_many(
        states.APPLICATION, waiting, "not_selected", part="system", actor=actor, fields=fields
    )
    Cohort.objects.filter(pk=cohort.pk).update(seats_taken=F("seats_taken") + len(selected))
    Event.objects.bulk_create(
        [
            application_event(
                by_id[p.id], "programme.offered" if p.selected else "programme.waitlisted"
            )
            for p in result.placements
        ],
        batch_size=BATCH,
    )
