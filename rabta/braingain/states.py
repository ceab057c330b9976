"""The explicit state machines of the portal.

Each machine is a table: an action, the states it may start from, the state it leads to and
the parts (roles in the object, not site roles) that may take it.  ``transition`` is the only
code that changes a status column: it refuses anything not in the table with a coded error and
changes nothing, and it writes the audit log for everything it allows.

Parts: ``seeker`` (who posted the ask, or a member of its institution), ``contributor`` (the
person asked), ``mentor`` / ``mentee``, ``client`` / ``consultant``, ``staff``, and ``system``
(scheduled jobs: deadlines).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from rabta.core.errors import DomainError, ErrorCode
from rabta.core.services import audit_record


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    parts: frozenset[str]


@dataclass(frozen=True)
class Machine:
    name: str
    field: str
    transitions: dict[str, Transition]

    def allowed(self, state: str, part: str) -> list[str]:
        return [
            action
            for action, t in self.transitions.items()
            if state in t.sources and part in t.parts
        ]


def _t(sources: set[str], target: str, parts: set[str]) -> Transition:
    return Transition(frozenset(sources), target, frozenset(parts))


REQUEST = Machine(
    "request",
    "status",
    {
        "accept": _t({"pending"}, "accepted", {"contributor"}),
        "decline": _t({"pending"}, "declined", {"contributor"}),
        "withdraw": _t({"pending"}, "withdrawn", {"seeker", "staff"}),
        "expire": _t({"pending"}, "expired", {"system"}),
    },
)

ASK = Machine(
    "ask",
    "status",
    {
        "match": _t({"open"}, "matched", {"contributor", "client", "system"}),
        "reopen": _t({"matched"}, "open", {"mentor", "mentee", "staff", "system"}),
        "close": _t({"open", "matched"}, "closed", {"seeker", "staff", "system"}),
    },
)

MENTORSHIP = Machine(
    "mentorship",
    "status",
    {
        # the second signature makes the agreement: see services.mentorship_sign
        "agree": _t({"agreeing"}, "active", {"mentor", "mentee"}),
        "complete": _t({"active"}, "completed", {"mentor", "mentee"}),
        "end": _t({"agreeing", "active"}, "ended", {"mentor", "mentee", "staff"}),
    },
)

SESSION = Machine(
    "session",
    "status",
    {
        "hold": _t({"planned"}, "held", {"mentor"}),
        "cancel": _t({"planned"}, "cancelled", {"mentor", "mentee"}),
    },
)

PROPOSAL = Machine(
    "proposal",
    "status",
    {
        "withdraw": _t({"submitted"}, "withdrawn", {"consultant"}),
        "award": _t({"submitted"}, "awarded", {"client"}),
        "pass_over": _t({"submitted"}, "not_selected", {"client", "system"}),
    },
)

ENGAGEMENT = Machine(
    "engagement",
    "status",
    {
        # the second signature starts the work: see services.engagement_sign
        "start": _t({"contracting"}, "active", {"client", "consultant"}),
        "complete": _t({"active"}, "completed", {"client"}),
        "cancel": _t({"contracting", "active"}, "cancelled", {"client", "consultant", "staff"}),
    },
)

MILESTONE = Machine(
    "milestone",
    "status",
    {
        "submit": _t({"open", "revision"}, "submitted", {"consultant"}),
        "accept": _t({"submitted"}, "accepted", {"client"}),
        "request_changes": _t({"submitted"}, "revision", {"client"}),
        "cancel": _t({"open", "revision"}, "cancelled", {"client", "staff"}),
    },
)

PAYMENT = Machine(
    "payment",
    "payment_status",
    {
        "invoice": _t({"unpaid"}, "invoiced", {"consultant"}),
        "mark_paid": _t({"unpaid", "invoiced"}, "paid", {"client"}),
    },
)

MACHINES = (REQUEST, ASK, MENTORSHIP, SESSION, PROPOSAL, ENGAGEMENT, MILESTONE, PAYMENT)


def transition(
    machine: Machine,
    obj: models.Model,
    action: str,
    *,
    part: str,
    actor: Any | None,
    **details: Any,
) -> str:
    """Move ``obj`` along ``machine`` by ``action`` taken in ``part``; save the status field
    (callers save any other field they changed) and audit it.  Returns the previous state."""
    step = machine.transitions.get(action)
    if step is None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("That action does not exist."))
    current = getattr(obj, machine.field)
    if part not in step.parts:
        raise DomainError(ErrorCode.FORBIDDEN, _("You cannot do that here."))
    if current not in step.sources:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("This cannot be done now: it is already %(state)s.")
            % {"state": _state_label(obj, machine)},
        )
    setattr(obj, machine.field, step.target)
    obj.save(update_fields=[machine.field, *_touched(obj)])
    audit_record(
        actor=actor,
        action=f"{machine.name}.{action}",
        target=obj,
        part=part,
        before=current,
        after=step.target,
        **details,
    )
    return current


def _touched(obj: models.Model) -> list[str]:
    return ["updated_at"] if any(f.name == "updated_at" for f in obj._meta.fields) else []


def _state_label(obj: models.Model, machine: Machine) -> str:
    display = getattr(obj, f"get_{machine.field}_display", None)
    return str(display()).lower() if display else str(getattr(obj, machine.field))
