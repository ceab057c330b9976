"""The one helper for scarce capacity (cohort seats now, mentor capacity later).

A claim is a single conditional ``UPDATE ... SET used = used + n WHERE pk = %s AND used + n <=
cap``: the database checks and takes the capacity in one statement, holding the row lock until
the surrounding transaction ends, so two claims for the last seat can never both succeed.  On
SQLite every transaction is ``BEGIN IMMEDIATE`` (see the settings), which serialises writers.

Callers must be inside ``transaction.atomic()`` and must do everything else that belongs to the
claim (creating the row that holds the seat) in the same transaction.  Running out raises a
coded domain error: it is never a silent no-op.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F

from rabta.core.errors import DomainError, ErrorCode


def _require_atomic() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("capacity changes must run inside transaction.atomic()")


def capacity_claim(
    model: type[models.Model], pk: int, *, used: str, cap: str, count: int = 1
) -> None:
    _require_atomic()
    claimed = model._default_manager.filter(pk=pk, **{f"{used}__lte": F(cap) - count}).update(
        **{used: F(used) + count}
    )
    if claimed != 1:
        raise DomainError(ErrorCode.CAPACITY_EXHAUSTED, "No capacity left.")


def capacity_try_claim(
    model: type[models.Model], pk: int, *, used: str, cap: str, count: int = 1
) -> bool:
    try:
        capacity_claim(model, pk, used=used, cap=cap, count=count)
    except DomainError:
        return False
    return True


def capacity_release(model: type[models.Model], pk: int, *, used: str, count: int = 1) -> None:
    _require_atomic()
    released = model._default_manager.filter(pk=pk, **{f"{used}__gte": count}).update(
        **{used: F(used) - count}
    )
    if released != 1:
        raise RuntimeError(f"releasing {count} from {model.__name__} {pk} would go below zero")
