"""Link free text to ESCO skills, one JSON object per line.

    python manage.py link_skills --input IN.jsonl --output OUT.jsonl [--top 10]

Input lines: {"id": ..., "text": ...}.  Output lines: {"id": ..., "skills": [{"uri", "label",
"score"}, ...]}, best first.  A malformed line (see ``rabta.profiling.jsonl``) is reported with
its line number on stderr and skipped; the rest are still linked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rabta.engine.taxonomy import taxonomy
from rabta.profiling.jsonl import jsonl_read
from rabta.profiling.linker import skill_linker

# Texts handed to the linker at once: enough for the encoder to batch well, few enough that
# the score matrix stays small.
CHUNK = 256


class Command(BaseCommand):
    help = "Link free text to ranked ESCO skills (JSON lines in, JSON lines out)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--top", type=int, default=10)

    def handle(self, *args: Any, **options: Any) -> None:
        top: int = options["top"]
        if not 1 <= top <= 100:
            raise CommandError("--top must be between 1 and 100")
        rejected: list[int] = []

        def reject(number: int, reason: str) -> None:
            self.stderr.write(f"line {number}: {reason}")
            rejected.append(number)

        try:
            records = jsonl_read(options["input"], fields=("text",), reject=reject)
        except OSError as exc:
            raise CommandError(f"Cannot read {options['input']}: {exc.strerror or exc}") from exc
        linker, t = skill_linker(), taxonomy()
        with options["output"].open("w", encoding="utf-8") as out:
            for start in range(0, len(records), CHUNK):
                chunk = records[start : start + CHUNK]
                found = linker.link_many([record["text"] for record in chunk], top=top)
                for record, skills in zip(chunk, found, strict=True):
                    row = {
                        "id": record["id"],
                        "skills": [
                            {"uri": t.skill(i).uri, "label": t.skill(i).label, "score": score}
                            for i, score in skills
                        ],
                    }
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.stdout.write(f"{len(records)} linked, {len(rejected)} rejected")
