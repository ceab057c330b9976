"""Classify job and freelance postings into Rabta pathways and ESCO occupations.

    python manage.py classify_postings --input IN.jsonl --output OUT.jsonl

Input lines: {"id": ..., "title": ..., "description": ...}.  Output lines: {"id": ...,
"pathways": [{"slug", "score"}, ...], "occupations": [{"uri", "label", "code", "isco_group",
"score"}, ...]}, the best five of each, best first.  A malformed line (see
``rabta.profiling.jsonl``) is reported with its line number on stderr and skipped; the rest are
still classified.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rabta.profiling.jsonl import jsonl_read
from rabta.profiling.linker import posting_classifier
from rabta.profiling.services.postings import posting_row

TOP = 5
CHUNK = 256


class Command(BaseCommand):
    help = "Classify postings into pathways and ESCO occupations (JSON lines in and out)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        rejected: list[int] = []

        def reject(number: int, reason: str) -> None:
            self.stderr.write(f"line {number}: {reason}")
            rejected.append(number)

        try:
            records = jsonl_read(options["input"], fields=("title", "description"), reject=reject)
        except OSError as exc:
            raise CommandError(f"Cannot read {options['input']}: {exc.strerror or exc}") from exc
        classifier = posting_classifier()
        with options["output"].open("w", encoding="utf-8") as out:
            for start in range(0, len(records), CHUNK):
                chunk = records[start : start + CHUNK]
                results = classifier.classify_many(
                    [(record["title"], record["description"]) for record in chunk], top=TOP
                )
                for record, classes in zip(chunk, results, strict=True):
                    row = posting_row(record["id"], classes)
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.stdout.write(f"{len(records)} classified, {len(rejected)} rejected")
