"""What every portfolio write checks the same way: the fields a form may set, the model's own
validation, and the pathway named."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rabta.core.errors import DomainError, ErrorCode, invalid
from rabta.engine.pathways import pathway as pathway_get


def model_clean(instance: Any) -> None:
    """``full_clean()``, its first problem as the message and every problem by field."""
    try:
        instance.full_clean()
    except ValidationError as error:
        fields = {k: [str(m) for m in v] for k, v in error.message_dict.items()}
        first = next(iter(fields.values()))[0]
        raise DomainError(ErrorCode.VALIDATION_ERROR, first, fields=fields) from None


def fields_assign(instance: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Set the given fields, trimmed; a name outside ``allowed`` is a programming error."""
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(instance, name, value.strip() if isinstance(value, str) else value)


def pathway_valid(slug: str) -> str:
    if not slug:
        return ""
    try:
        pathway_get(slug)
    except KeyError:
        raise invalid("pathway", _("Choose one of the pathways listed.")) from None
    return slug
