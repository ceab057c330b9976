"""The state machines of the programme, declared for the core state-machine helper
(``rabta.core.states``), which is the only code that changes a status column.

The machines are named for the programme's audit namespace, and each action for what happened,
so every change leaves the audit row the programme has always written (``programme.offered``,
``programme.declined``, ``programme.excuse_approved``, ...) and the declared domain event that
the dashboards count.

Parts: ``applicant`` (the person the application belongs to), ``staff`` (programme staff) and
``system`` (seat claims, the waitlist, deadlines and the fair allocation).
"""

from __future__ import annotations

from rabta.core.states import Machine, transition, transition_many
from rabta.core.states import step as _t
from rabta.programme.models import ApplicationState as A
from rabta.programme.models import ExcuseState as E

__all__ = ["APPLICATION", "EXCUSE", "MACHINES", "Machine", "transition", "transition_many"]

APPLICATION = Machine(
    "programme",
    "state",
    {
        "submitted": _t({A.DRAFT}, A.SUBMITTED, {"applicant"}, event="programme.applied"),
        # first come, first served places a submission in the same step: one save, one audit
        # row, both events (the registration rush's hot path)
        "submitted_offered": _t(
            {A.DRAFT},
            A.OFFERED,
            {"applicant"},
            event=("programme.applied", "programme.offered"),
            audit="submitted",
        ),
        "submitted_waitlisted": _t(
            {A.DRAFT},
            A.WAITLISTED,
            {"applicant"},
            event=("programme.applied", "programme.waitlisted"),
            audit="submitted",
        ),
        # a freed seat goes to the head of the waitlist
        "offered": _t({A.WAITLISTED}, A.OFFERED, {"system"}, event="programme.offered"),
        "waitlisted": _t({A.SUBMITTED}, A.WAITLISTED, {"system"}, event="programme.waitlisted"),
        # the committed fair allocation places everyone in one batch and records the same
        # events itself, in bulk (see services.allocation)
        "selected": _t({A.SUBMITTED}, A.OFFERED, {"system"}),
        "not_selected": _t({A.SUBMITTED}, A.WAITLISTED, {"system"}),
        "seated": _t({A.OFFERED}, A.CONFIRMED, {"applicant"}, event="programme.seated"),
        "declined": _t({A.OFFERED}, A.DECLINED, {"applicant"}, event="programme.declined"),
        "expired": _t({A.OFFERED}, A.EXPIRED, {"system"}, event="programme.expired"),
        "withdrawn": _t(
            {A.DRAFT, A.SUBMITTED, A.WAITLISTED, A.OFFERED, A.CONFIRMED},
            A.WITHDRAWN,
            {"applicant"},
            event="programme.withdrawn",
        ),
    },
)

EXCUSE = Machine(
    "programme",
    "state",
    {
        "excuse_approved": _t({E.PENDING}, E.APPROVED, {"staff"}),
        "excuse_rejected": _t({E.PENDING}, E.REJECTED, {"staff"}),
    },
)

MACHINES = (APPLICATION, EXCUSE)
