"""What every profile write shares: the mass-assignment guard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rabta.core.services import fields_allowed


def fields_assign(instance: Any, data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    """Set ``data`` on ``instance``; a field outside ``allowed`` refuses the whole write."""
    for name, value in fields_allowed(data, allowed).items():
        setattr(instance, name, value)
