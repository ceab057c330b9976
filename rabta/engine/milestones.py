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
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        allowed = (3,) if third_required else (2, 3)
        if len(parts) not in allowed or not parts[0]:
            errors.append(LineError(number, "shape"))
            continue
        try:
            amount = Decimal(parts[1].replace(",", "").replace("$", ""))
        except InvalidOperation:
            errors.append(LineError(number, "amount"))
            continue
        if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
            errors.append(LineError(number, "range"))
            continue
        rows.append(
            MilestoneLine(
                title=parts[0][:title_max],
                amount=amount.quantize(Decimal("0.01")),
                third=parts[2][:20] if len(parts) == 3 else "",
            )
        )
    return (rows if not errors else []), errors
