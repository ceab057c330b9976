"""Link free text to ESCO skills, one JSON object per line.

    python manage.py link_skills --input IN.jsonl --output OUT.jsonl [--top 10]

Input lines: {"id": ..., "text": ...}.  Output lines: {"id": ..., "skills": [{"uri", "label",
"score"}, ...]}, best first.  A malformed line is reported with its line number on stderr and
skipped; the rest are still linked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rabta.engine.taxonomy import taxonomy
from rabta.profiling.linker import skill_linker

MAX_TEXT = 20_000


class Command(BaseCommand):
    help = "Link free text to ranked ESCO skills (JSON lines in, JSON lines out)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--top", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["input"]
        top: int = options["top"]
        if not source.is_file():
            raise CommandError(f"No file at {source}")
        if not 1 <= top <= 100:
            raise CommandError("--top must be between 1 and 100")
        linker, t = skill_linker(), taxonomy()
        written = rejected = 0
        with (
            source.open(encoding="utf-8", errors="replace") as lines,
            options["output"].open("w", encoding="utf-8") as out,
        ):
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    if not isinstance(item, dict) or "id" not in item:
                        raise ValueError('expected an object with "id" and "text"')
                    text = item.get("text")
                    if not isinstance(text, str):
                        raise ValueError('"text" must be a string')
                except ValueError as exc:
                    self.stderr.write(f"line {number}: {exc}")
                    rejected += 1
                    continue
                skills = [
                    {"uri": t.skill(skill_id).uri, "label": t.skill(skill_id).label, "score": score}
                    for skill_id, score in linker.link(text[:MAX_TEXT], top=top)
                ]
                out.write(
                    json.dumps({"id": item["id"], "skills": skills}, ensure_ascii=False) + "\n"
                )
                written += 1
        self.stdout.write(f"{written} linked, {rejected} rejected")
