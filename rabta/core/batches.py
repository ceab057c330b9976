"""Walk a large queryset while writing as you go.

``QuerySet.iterator()`` keeps one SELECT open across its chunks.  On SQLite in WAL mode an open
read pins the connection to its snapshot, and once another connection has written (a job's
heartbeat, a worker sending mail) the first write on this connection fails at once with
"database is locked": the busy timeout does not apply to a stale snapshot.  ``in_batches``
reads each batch completely, by primary key, so no statement stays open while the caller
writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def in_batches(queryset: QuerySet[M], *, size: int = 500) -> Iterator[M]:
    """Yield the queryset's rows in primary-key order, ``size`` rows per query.  A row the
    caller changes so that it no longer matches is not seen again; rows added behind the
    cursor are not picked up."""
    ordered = queryset.order_by("pk")
    last = None
    while True:
        page = ordered if last is None else ordered.filter(pk__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk
