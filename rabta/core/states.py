"""The one state-machine helper.  Every status column in Rabta changes here.

A machine is a table, declared once per model next to its service: an action, the states it may
start from, the state it leads to, the parts (roles in the object, not site roles) that may take
it and, where a dashboard counts the change, the domain event it emits.  ``transition`` (one
object), ``transition_many`` (a batch, for allocation and deadlines) and ``claim`` (a worker's
compare-and-set on operational rows: jobs, the email outbox) are the only code that writes a
status: they refuse anything not in the table with a coded error and change nothing,
and they write the audit log (and the declared event) for everything they allow, in the same
transaction as the change.

Parts used across the apps: ``seeker``, ``contributor``, ``mentor`` / ``mentee``, ``client`` /
``consultant``, ``applicant``, ``owner``, ``author``, ``lead``, ``moderator``, ``staff``, and
``system`` (scheduled jobs: deadlines, promotions, allocation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.core.errors import DomainError, ErrorCode
from rabta.core.models import AuditLog, Event
from rabta.core.services import audit_build, audit_record, event_build


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    parts: frozenset[str]
    # the domain event kinds this change records, where a dashboard counts it (a step that
    # stands for two things that happened at once, "applied and offered", records both)
    events: tuple[str, ...] = ()
    audit: str = ""  # the audit log's name for the step, when it is not the action's


@dataclass(frozen=True)
class Machine:
    name: str
    field: str
    transitions: dict[str, Transition]

    def allowed(self, state: str, part: str) -> list[str]:
        """The actions ``part`` may take from ``state`` (what a page offers as buttons)."""
        return [
            action
            for action, t in self.transitions.items()
            if state in t.sources and part in t.parts
        ]

    def can(self, state: str, action: str) -> bool:
        step = self.transitions.get(action)
        return step is not None and state in step.sources

    @property
    def states(self) -> frozenset[str]:
        found: set[str] = set()
        for step in self.transitions.values():
            found |= step.sources
            found.add(step.target)
        return frozenset(found)


def step(
    sources: Iterable[str],
    target: str,
    parts: Iterable[str],
    *,
    event: str | tuple[str, ...] = (),
    audit: str = "",
) -> Transition:
    """One row of a machine's table."""
    events = (event,) if isinstance(event, str) else tuple(event)
    return Transition(frozenset(sources), str(target), frozenset(parts), events, audit)


def _checked(machine: Machine, action: str, part: str) -> Transition:
    found = machine.transitions.get(action)
    if found is None:
        raise DomainError(ErrorCode.INVALID_TRANSITION, _("That action does not exist."))
    if part not in found.parts:
        raise DomainError(ErrorCode.FORBIDDEN, _("You cannot do that here."))
    return found


def _refuse_state(obj: models.Model, machine: Machine) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_TRANSITION,
        _("This cannot be done now: it is already %(state)s.")
        % {"state": _state_label(obj, machine)},
    )


def transition(
    machine: Machine,
    obj: models.Model,
    action: str,
    *,
    part: str,
    actor: Any | None,
    fields: Sequence[str] = (),
    dimensions: Mapping[str, str] | None = None,
    **details: Any,
) -> str:
    """Move ``obj`` along ``machine`` by ``action`` taken in ``part``; save the status field
    with ``fields`` (other columns the caller changed in the same step), audit it and record
    the machine's event with ``dimensions``.  An unsaved object is created.  Returns the
    previous state."""
    found = _checked(machine, action, part)
    current = str(getattr(obj, machine.field))
    if current not in found.sources:
        raise _refuse_state(obj, machine)
    setattr(obj, machine.field, found.target)
    if obj._state.adding:
        obj.save()
    else:
        obj.save(update_fields=list(dict.fromkeys([machine.field, *fields, *_touched(obj)])))
    audit_record(
        actor=actor,
        action=f"{machine.name}.{found.audit or action}",
        target=obj,
        part=part,
        before=current,
        after=found.target,
        **details,
    )
    if found.events:
        Event.objects.bulk_create(
            [_event(kind, actor, obj, dimensions or {}) for kind in found.events]
        )
    return current


def transition_many(
    machine: Machine,
    objs: Sequence[models.Model],
    action: str,
    *,
    part: str,
    actor: Any | None,
    fields: Sequence[str] = (),
    dimensions: Callable[[Any], Mapping[str, str]] | None = None,
    **details: Any,
) -> int:
    """``transition`` for a batch of saved objects of one model (allocation, deadlines, the
    demo): every object must be in a source state or nothing changes.  One UPDATE per chunk,
    one audit row per object and, for a step that records events, its events with each
    object's ``dimensions(obj)``, all in bulk.  Returns how many moved."""
    if not objs:
        return 0
    found = _checked(machine, action, part)
    if found.events and dimensions is None:
        raise ValueError(f"{machine.name}.{action} records events: say each object's dimensions")
    befores = _states_checked(machine, found, objs)
    audit = {"part": part, "after": found.target, **details}
    with transaction.atomic():
        _batch_write(machine, found, objs, fields)
        AuditLog.objects.bulk_create(
            [
                audit_build(
                    actor=actor,
                    action=f"{machine.name}.{found.audit or action}",
                    target=obj,
                    **{"before": before, **audit},
                )
                for obj, before in zip(objs, befores, strict=True)
            ],
            batch_size=1000,
        )
        if dimensions is not None:
            Event.objects.bulk_create(
                [
                    _event(kind, actor, obj, dimensions(obj))
                    for obj in objs
                    for kind in found.events
                ],
                batch_size=1000,
            )
    return len(objs)


def claim(machine: Machine, rows: models.QuerySet[Any], action: str, **fields: Any) -> int:
    """Move the ``rows`` still in one of ``action``'s source states, in one conditional UPDATE,
    and return how many moved: the compare-and-set of operational rows that a worker, not a
    person, moves (a background job, an email in the outbox), where the number moved says
    whether this worker won.  They are not audited: the row itself records its run."""
    found = machine.transitions[action]
    return rows.filter(**{f"{machine.field}__in": sorted(found.sources)}).update(
        **{machine.field: found.target, **fields}
    )


def _states_checked(machine: Machine, found: Transition, objs: Sequence[models.Model]) -> list[str]:
    """Each object's current state; the whole batch is refused if one cannot take the step."""
    befores = [str(getattr(obj, machine.field)) for obj in objs]
    for obj, before in zip(objs, befores, strict=True):
        if before not in found.sources:
            raise _refuse_state(obj, machine)
    return befores


def _batch_write(
    machine: Machine, found: Transition, objs: Sequence[models.Model], fields: Sequence[str]
) -> None:
    """The status (and the time stamp) are the same for every row: one UPDATE per chunk, only
    of rows still in a source state, so a row that changed since it was read (a withdrawal
    during an allocation) refuses the batch rather than being overwritten; only the fields that
    differ per object need a bulk_update."""
    same: dict[str, Any] = {machine.field: found.target}
    if _touched(objs[0]):
        same["updated_at"] = timezone.now()  # update() and bulk_update skip auto_now
    for obj in objs:
        for name, value in same.items():
            setattr(obj, name, value)
    manager = type(objs[0])._default_manager
    pks = [obj.pk for obj in objs]
    sources = {f"{machine.field}__in": sorted(found.sources)}
    for start in range(0, len(pks), 900):
        chunk = pks[start : start + 900]
        if manager.filter(pk__in=chunk, **sources).update(**same) != len(set(chunk)):
            raise DomainError(
                ErrorCode.CONFLICT,
                _("Some of these changed meanwhile; nothing was changed. Please try again."),
            )
    if fields:
        manager.bulk_update(objs, list(dict.fromkeys(fields)), batch_size=1000)


def _event(kind: str, actor: Any | None, obj: models.Model, cuts: Mapping[str, str]) -> Event:
    dims: dict[str, Any] = dict(cuts)
    return event_build(kind=kind, actor_id=getattr(actor, "pk", None), subject=obj, **dims)


def _touched(obj: models.Model) -> list[str]:
    return ["updated_at"] if any(f.name == "updated_at" for f in obj._meta.fields) else []


def _state_label(obj: models.Model, machine: Machine) -> str:
    display = getattr(obj, f"get_{machine.field}_display", None)
    return str(display()).lower() if display else str(getattr(obj, machine.field))
