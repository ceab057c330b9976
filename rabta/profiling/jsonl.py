"""Reading JSON-lines input for the batch commands (link_skills, classify_postings).

One rule for every command: a line must be a JSON object with an ``id`` (string or integer) and
the named text fields as strings, not all blank, none longer than ``MAX_TEXT`` characters.  A
line that breaks the rule is reported with its line number and skipped, so one bad record in a
scraped file of thousands costs that record only.  Blank lines are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Longer than any real posting or CV section; a record beyond it is more likely a broken scrape
# (a whole page in one field) than text worth linking.
MAX_TEXT = 20_000


class MalformedLine(ValueError):
    pass


def jsonl_read(
    path: Path,
    *,
    fields: Sequence[str],
    reject: Callable[[int, str], None],
    max_chars: int = MAX_TEXT,
) -> list[dict[str, Any]]:
    """The valid records of ``path`` in file order; ``reject(line_number, reason)`` for the
    others.  Raises OSError if the file cannot be read at all."""
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                records.append(_record(line, fields, max_chars))
            except MalformedLine as exc:
                reject(number, str(exc))
    return records


def _id_checked(item: Any) -> None:
    if not isinstance(item, dict):
        raise MalformedLine("expected a JSON object")
    if "id" not in item:
        raise MalformedLine('missing "id"')
    if isinstance(item["id"], bool) or not isinstance(item["id"], str | int):
        raise MalformedLine('"id" must be a string or an integer')


def _texts_checked(item: dict[str, Any], fields: Sequence[str], max_chars: int) -> None:
    for name in fields:
        value = item.get(name)
        if not isinstance(value, str):
            raise MalformedLine(f'"{name}" must be a string')
        if len(value) > max_chars:
            raise MalformedLine(f'"{name}" is longer than {max_chars} characters')
    if not any(item[name].strip() for name in fields):
        raise MalformedLine("empty text")


def _record(line: str, fields: Sequence[str], max_chars: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except ValueError as exc:
        raise MalformedLine(f"not valid JSON ({exc.args[0] if exc.args else exc})") from None
    _id_checked(item)
    _texts_checked(item, fields, max_chars)
    return item
