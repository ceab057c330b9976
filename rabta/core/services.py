"""Writes owned by core: the audit trail and domain events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from rabta.core.models import AuditLog, Event

EVENT_DIMENSIONS = (
    "cohort",
    "province",
    "district",
    "gender",
    "discipline",
    "pathway",
    "country",
    "sector",
    "career",
)


def fields_allowed(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """``data`` as a dict when every key is in ``allowed``; one unknown key refuses the whole
    write (the mass-assignment guard of every service that takes a form's fields)."""
    from django.utils.translation import gettext as _

    from rabta.core.errors import DomainError, ErrorCode

    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("These fields cannot be set: %(fields)s") % {"fields": ", ".join(unknown)},
            fields={name: [_("This field cannot be set.")] for name in unknown},
        )
    return dict(data)


def validate(instance: models.Model, *, exclude: list[str] | None = None, **checks: Any) -> None:
    """``full_clean()``; invalid fields come back as one coded error that the pages show field
    by field.  ``checks`` go to ``full_clean`` (``validate_unique=False`` ...)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from rabta.core.errors import DomainError, ErrorCode

    try:
        instance.full_clean(exclude=exclude, **checks)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, _("Please correct the highlighted fields."), fields=fields
        ) from exc


def save_validated(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """``validate`` then ``save()``."""
    validate(instance, exclude=exclude)
    instance.save()


def audit_build(
    *, actor: Any | None, action: str, target: models.Model | None = None, **details: Any
) -> AuditLog:
    """An unsaved audit row (``audit_record`` saves one; a batch goes through bulk_create)."""
    return AuditLog(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=details,
    )


def audit_record(
    *, actor: Any | None, action: str, target: models.Model | None = None, **details: Any
) -> AuditLog:
    row = audit_build(actor=actor, action=action, target=target, **details)
    row.save(force_insert=True)
    return row


def event_build(
    *,
    kind: str,
    actor_id: int | None = None,
    subject: models.Model | None = None,
    item: str = "",
    value: float | None = None,
    **dimensions: str,
) -> Event:
    """An unsaved event row (``event_record`` saves one; a batch goes through bulk_create)."""
    unknown = set(dimensions) - set(EVENT_DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown event dimensions: {sorted(unknown)}")
    return Event(
        kind=kind,
        actor_id=actor_id,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        item=item[:200],
        value=value,
        **{key: value or "" for key, value in dimensions.items()},
    )


def event_record(*, kind: str, **fields: Any) -> Event:
    """Save one event (the fields of ``event_build``)."""
    event = event_build(kind=kind, **fields)
    event.save(force_insert=True)
    return event
