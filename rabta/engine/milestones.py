"""Milestones typed one per line, ``title | amount in USD | third``, where the third column is
a due date (portfolio contracts) or a number of days (Brain Gain proposals).  Every bad line is
reported with its number; nothing is returned for a text with any bad line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal(1_000_000)


@dataclass(frozen=True)
class LineError:
    line: int
    code: str  # "shape" (not title | amount | third), "amount" (not a number) or "range"


@dataclass(frozen=True)
class MilestoneLine:
    title: str
    amount: Decimal
    third: str


def milestones_parse(
    text: str, *, third_required: bool = False, title_max: int = 120
) -> tuple[list[MilestoneLine], list[LineError]]:
    rows: list[MilestoneLine] = []
    errors: list[LineError] = []
    allowed = (3,) if third_required else (2, 3)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parsed = _parse_line(number, line, allowed, title_max)
        if isinstance(parsed, LineError):
            errors.append(parsed)
        else:
            rows.append(parsed)
    return (rows if not errors else []), errors


def _parse_line(
    number: int, line: str, allowed: tuple[int, ...], title_max: int
) -> MilestoneLine | LineError:
    """One non-blank line as a milestone, or the first thing wrong with it."""
    parts = [p.strip() for p in line.split("|")]
    if len(parts) not in allowed or not parts[0]:
        return LineError(number, "shape")
    try:
        amount = Decimal(parts[1].replace(",", "").replace("$", ""))
    except InvalidOperation:
        return LineError(number, "amount")
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        return LineError(number, "range")
    return MilestoneLine(
        title=parts[0][:title_max],
        amount=amount.quantize(Decimal("0.01")),
        third=parts[2][:20] if len(parts) == 3 else "",
    )
