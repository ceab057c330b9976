"""Small-cell suppression for published counts.

A count from 1 to ``threshold - 1`` could single out a person, so it is not shown.  When a table
shows its total, one hidden cell could be recovered by subtraction, so the smallest other
non-zero cell is hidden too (complementary suppression).  Zero is shown: it reveals no one.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from django.conf import settings


def threshold() -> int:
    return int(getattr(settings, "SMALL_CELL_THRESHOLD", 10))


def suppress(
    counts: Mapping[Hashable, int], limit: int | None = None
) -> dict[Hashable, int | None]:
    """The counts with every small cell replaced by None, plus complementary cells so that no
    hidden value follows from the total."""
    limit = threshold() if limit is None else limit
    shown: dict[Hashable, int | None] = {
        key: (None if 0 < value < limit else value) for key, value in counts.items()
    }
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        others = sorted(
            (value, str(key), key) for key, value in counts.items() if shown[key] and value > 0
        )
        if others:
            shown[others[0][2]] = None
    return shown
