"""What every profile write shares: the mass-assignment guard and the one validation refusal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rabta.core.errors import DomainError, ErrorCode


def fields_assign(instance: Any, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    """Set ``data`` on ``instance``; a field outside ``allowed`` refuses the whole write."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("These fields cannot be set: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            fields={name: [_("This field cannot be set.")] for name in sorted(unknown)},
        )
    for name, value in data.items():
        setattr(instance, name, value)


def validation_refusal(exc: ValidationError) -> DomainError:
    """A model's ``full_clean`` errors as the coded error that pages show field by field."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return DomainError(
        ErrorCode.VALIDATION_ERROR, _("Please correct the highlighted fields."), fields=fields
    )
