"""Opportunities intake: job postings imported from CSV or JSON, checked line by line, stored
once each, and classified into pathways and ESCO occupations so that demand per pathway per month
can feed the recommendations.  The request only keeps the file and starts the import job
(``postings_receive``); the job checks, stores and classifies it (``postings_import_run``)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.jobs import Outcome, Progress, job_start, upload_keep, upload_take
from rabta.core.models import Job
from rabta.core.services import audit_record
from rabta.engine.postings import PostingClasses
from rabta.profiling.models import MAX_EXPERIENCE_CHARS, Posting, PostingImport

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
FIELDS = ("title", "description", "budget", "date", "source")
REQUIRED = ("title", "description", "date", "source")


@dataclass(frozen=True)
class Row:
    title: str
    description: str
    budget: Decimal | None
    posted_on: date
    source: str

    @property
    def digest(self) -> str:
        key = "\x1f".join(
            (
                self.source.casefold(),
                " ".join(self.title.casefold().split()),
                " ".join(self.description.casefold().split()),
                self.posted_on.isoformat(),
            )
        )
        return hashlib.sha256(key.encode()).hexdigest()


def _text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(ErrorCode.IMPORT_INVALID, _("The file is not UTF-8 text.")) from None
    if "\x00" in text:
        raise DomainError(ErrorCode.IMPORT_INVALID, _("The file is not a text file."))
    return text


def _json_array(stripped: str) -> list[tuple[int, Any]]:
    try:
        items = json.loads(stripped)
    except json.JSONDecodeError as error:
        raise DomainError(
            ErrorCode.IMPORT_INVALID,
            _("The JSON is malformed at line %(n)d.") % {"n": error.lineno},
        ) from None
    return list(enumerate(items, start=1))


def _json_lines(text: str) -> list[tuple[int, Any]]:
    """A line that is not JSON becomes a None record, reported with its line number."""
    records: list[tuple[int, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError:
            records.append((number, None))
    return records


def _csv_rows(text: str) -> list[tuple[int, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [f for f in REQUIRED if f not in (reader.fieldnames or [])]
    if missing:
        raise DomainError(
            ErrorCode.IMPORT_INVALID,
            _("The CSV header lacks: %(fields)s.") % {"fields": ", ".join(missing)},
        )
    return [(reader.line_num, record) for record in reader]


def _records(raw: bytes, name: str) -> list[tuple[int, Any]]:
    """(line number, record) pairs from CSV, a JSON array or JSON lines."""
    text = _text(raw)
    stripped = text.lstrip()
    if stripped.startswith("["):
        return _json_array(stripped)
    if name.lower().endswith((".json", ".jsonl")) or stripped.startswith("{"):
        return _json_lines(text)
    return _csv_rows(text)


class _Problem(Exception):
    """What is wrong with one line, as the import's error list says it."""


def _posted_on(raw: str) -> date:
    try:
        posted_on = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise _Problem(_("date must be YYYY-MM-DD")) from None
    if posted_on > timezone.localdate():
        raise _Problem(_("date is in the future"))
    return posted_on


def _budget(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        budget = Decimal(str(raw).replace(",", "").lstrip("$").strip())
    except InvalidOperation:
        raise _Problem(_("budget must be a number of US dollars")) from None
    if not budget.is_finite() or budget < 0 or budget >= 10**8:
        raise _Problem(_("budget must be a number of US dollars"))
    return budget.quantize(Decimal("0.01"))


def _texts(record: Any) -> dict[str, str]:
    """The required fields, trimmed."""
    if not isinstance(record, dict):
        raise _Problem(_("not a JSON object"))
    texts: dict[str, str] = {}
    for name in REQUIRED:
        value = record.get(name)
        if not isinstance(value, str) or not value.strip():
            raise _Problem(_("%(field)s is missing") % {"field": name})
        texts[name] = value.strip()
    too_long = (
        len(texts["title"]) > 300
        or len(texts["description"]) > MAX_EXPERIENCE_CHARS
        or len(texts["source"]) > 60
    )
    if too_long:
        raise _Problem(_("a field is too long"))
    return texts


def _row(record: Any) -> tuple[Row | None, str]:
    try:
        texts = _texts(record)
        posted_on = _posted_on(texts["date"])
        budget = _budget(record.get("budget"))
    except _Problem as problem:
        return None, str(problem)
    return Row(texts["title"], texts["description"], budget, posted_on, texts["source"]), ""


OCCUPATION_URI = "http://data.europa.eu/esco/occupation/{}"


def posting_row(posting_id: Any, classes: PostingClasses) -> dict[str, Any]:
    """A classification as the batch command writes it and the postings table stores it."""
    return {
        "id": posting_id,
        "pathways": [{"slug": slug, "score": score} for slug, score in classes.pathways],
        "occupations": [
            {
                "uri": OCCUPATION_URI.format(occupation.id),
                "label": occupation.label,
                "code": occupation.code,
                "isco_group": occupation.isco,
                "score": score,
            }
            for occupation, score in classes.occupations
        ],
    }


def _rows_checked(records: list[tuple[int, Any]]) -> list[Row]:
    """Every line as a row, or one refusal that lists the wrong lines (the first fifty)."""
    rows: list[Row] = []
    errors: list[str] = []
    for number, record in records:
        row, problem = _row(record)
        if row is None:
            errors.append(_("Line %(n)d: %(problem)s.") % {"n": number, "problem": problem})
        else:
            rows.append(row)
    if errors:
        raise DomainError(
            ErrorCode.IMPORT_INVALID,
            _("Nothing was imported: %(n)d lines have errors.") % {"n": len(errors)},
            fields={"file": errors[:50]},
        )
    return rows


def postings_import(*, actor: Any, name: str, raw: bytes, upload: str = "") -> PostingImport:
    """Check every line first; nothing is stored if any line is wrong.  Postings already stored
    (same source, title, description and date) are counted as duplicates, not stored twice,
    even when another import stores them at the same time.  ``upload`` names the kept file the
    import job read (its rerun finds the import done)."""
    if len(raw) > MAX_FILE_BYTES:
        raise DomainError(
            ErrorCode.IMPORT_INVALID,
            _("The file is larger than %(mb)d MB: split it.") % {"mb": MAX_FILE_BYTES // 2**20},
        )
    records = _records(raw, name)
    if not records:
        raise DomainError(ErrorCode.IMPORT_INVALID, _("The file has no postings."))
    if len(records) > MAX_ROWS:
        raise DomainError(
            ErrorCode.IMPORT_INVALID, _("Up to %(n)d postings per file.") % {"n": MAX_ROWS}
        )
    rows = _rows_checked(records)
    unique = {row.digest: row for row in rows}
    with transaction.atomic():
        existing = set(
            Posting.objects.filter(digest__in=list(unique)).values_list("digest", flat=True)
        )
        batch = PostingImport.objects.create(
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            file_name=name[:255],
            upload=upload,
            rows=len(rows),
        )
        fresh = [
            Posting(
                source=row.source,
                title=row.title,
                description=row.description,
                budget_usd=row.budget,
                posted_on=row.posted_on,
                digest=digest,
                imported_in=batch,
            )
            for digest, row in unique.items()
            if digest not in existing
        ]
        # an import running beside this one may store the same posting first: it stays theirs
        Posting.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
        batch.created = Posting.objects.filter(imported_in=batch).count()
        batch.duplicates = len(rows) - len(fresh)
        batch.save(update_fields=["created", "duplicates"])
        audit_record(actor=actor, action="postings.import", target=batch, created=batch.created)
    return batch


def postings_classify(
    *, import_id: int | None = None, batch: int = 200, progress: Progress | None = None
) -> int:
    """Classify postings not classified yet (of one import, or all).  Resumable: each batch is
    saved as it is done, and a rerun picks up what is left."""
    from rabta.profiling.linker import posting_classifier

    pending = Posting.objects.filter(classified_at__isnull=True).order_by("pk")
    if import_id is not None:
        pending = pending.filter(imported_in_id=import_id)
    waiting = pending.count()
    if progress is not None:
        progress.total(waiting)
    # the hourly sweep usually finds nothing: it loads no model then
    classifier = posting_classifier() if waiting else None
    done = 0
    while classifier is not None:
        chunk = list(pending[:batch])
        if not chunk:
            break
        results = classifier.classify_many([(p.title, p.description) for p in chunk], top=5)
        now = timezone.now()
        for posting, result in zip(chunk, results, strict=True):
            row = posting_row(posting.pk, result)
            posting.pathways, posting.occupations = row["pathways"], row["occupations"]
            posting.pathway, posting.pathway_score = (
                result.pathways[0] if result.pathways else ("", None)
            )
            posting.classified_at = now
        Posting.objects.bulk_update(
            chunk, ["pathways", "occupations", "pathway", "pathway_score", "classified_at"]
        )
        done += len(chunk)
        if progress is not None:
            progress.advance(len(chunk))
    if import_id is not None:
        PostingImport.objects.filter(pk=import_id).update(classified_at=timezone.now())
    return done


def postings_receive(*, actor: User, name: str, content: bytes) -> Job:
    """Start importing a file of postings: the file is kept for the import job and the request
    answers at once; the job checks it (a bad line refuses the whole file, shown with its line
    number on the postings page), stores it and classifies it.  Sending the same file again
    while it is being imported joins that import."""
    from rabta.profiling.tasks import postings_import_task

    if not actor.has_perm("profiling.add_posting"):
        raise NotFound()
    stored = upload_keep(name=name, content=content)
    key = f"postings-import:{hashlib.sha256(content).hexdigest()[:40]}"
    job = job_start(postings_import_task, stored, name[:255], actor.pk, user=actor, key=key)
    if job.args[:1] != [stored]:  # joined the import of the same file already running
        default_storage.delete(stored)
    return job


def _refused(message: str, errors: list[str]) -> Outcome:
    return Outcome(message, details={"refused": message, "errors": errors})


def postings_import_run(
    *, stored: str, name: str, actor_id: int | None, progress: Progress | None = None
) -> Outcome:
    """The import job: read the kept file, check and store it (all or nothing), then classify
    what it brought.  A refused file is an outcome, not a failure: its ``details`` say why,
    line by line.  Idempotent: a rerun finds the import done and only finishes classifying; a
    rerun that finds the file taken but nothing imported says so.  Texts are in the language
    of the person who started it."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    language = getattr(actor, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        batch = PostingImport.objects.filter(upload=stored).first() if stored else None
        if batch is None:
            try:
                raw = upload_take(stored)
            except FileNotFoundError:
                return _refused(
                    _(
                        "The uploaded file is no longer kept and nothing was imported from it: "
                        "upload it again."
                    ),
                    [],
                )
            try:
                batch = postings_import(actor=actor, name=name, raw=raw, upload=stored)
            except DomainError as refusal:
                errors = [str(line) for line in refusal.fields.get("file", [])]
                return _refused(str(refusal.message), errors)
        if progress is not None:
            progress.beat()
        postings_classify(import_id=batch.pk, progress=progress)
        classified = Posting.objects.filter(imported_in=batch, classified_at__isnull=False)
        counts = {
            "import_id": batch.pk,
            "rows": batch.rows,
            "created": batch.created,
            "duplicates": batch.duplicates,
            "classified": classified.count(),
        }
        message = _(
            "%(created)d postings imported, %(dup)d already known, %(classified)d classified."
        ) % {"created": batch.created, "dup": batch.duplicates, "classified": counts["classified"]}
        return Outcome(message, url=reverse("profiling:postings"), details=counts)
