"""The import of the council's register of engineers, and what it decides about profiles."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import (
    EngineerProfile,
    PecRegisterEntry,
    PecRegisterImport,
    User,
    VerificationState,
)
from rabta.accounts.reference import Discipline, pec_number_normalise
from rabta.accounts.register import name_digest
from rabta.accounts.selectors import REGISTER_JOB_KEY, register_import_job
from rabta.accounts.services.engineers import engineer_dimensions, register_apply, register_finding
from rabta.accounts.states import PEC_VERIFICATION, transition_many
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.jobs import job_start, upload_discard, upload_keep
from rabta.core.models import Event, Job
from rabta.core.services import audit_record, event_build

if TYPE_CHECKING:
    from _csv import Reader

REGISTER_COLUMNS = ("pec_number", "name", "discipline", "status")
REGISTER_STATUSES = {"active": True, "suspended": False, "cancelled": False, "expired": False}
_PROFILE_FIELDS = ["verified_at", "rejection_reason", "register_match"]


@dataclass(frozen=True)
class RegisterRow:
    line: int
    pec_number: str
    discipline: str
    in_good_standing: bool
    name_digest: str


@dataclass
class RegisterImportResult:
    row_count: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    verified: int = 0
    rejected: int = 0
    already_imported: bool = False
    errors: list[str] = field(default_factory=list)


# --- reading the file ------------------------------------------------------------------------


def _register_row(line_no: int, cells: list[str], index: dict[str, int]) -> RegisterRow | str:
    """Parse one line; a string is the error to report for it."""
    raw_number = cells[index["pec_number"]]
    number = pec_number_normalise(raw_number)
    discipline = cells[index["discipline"]].strip().upper()
    status = cells[index["status"]].strip().lower()
    digest = name_digest(cells[index["name"]][:200])
    if number is None:
        return _("Line %(n)d: “%(value)s” is not a PEC registration number") % {
            "n": line_no,
            "value": raw_number[:40],
        }
    if discipline not in Discipline.values:
        return _("Line %(n)d: unknown discipline “%(value)s”") % {
            "n": line_no,
            "value": discipline[:40],
        }
    if number.split("/", 1)[0] != discipline:
        return _("Line %(n)d: %(number)s does not match discipline %(d)s") % {
            "n": line_no,
            "number": number,
            "d": discipline,
        }
    if status not in REGISTER_STATUSES:
        return _("Line %(n)d: status must be one of %(allowed)s, not “%(value)s”") % {
            "n": line_no,
            "allowed": ", ".join(REGISTER_STATUSES),
            "value": status[:20],
        }
    if not digest:
        return _("Line %(n)d: the name is missing") % {"n": line_no}
    return RegisterRow(line_no, number, discipline, REGISTER_STATUSES[status], digest)


def _register_header(reader: Reader) -> tuple[dict[str, int], int] | str:
    """Where each column is and how many the header names, or the error that stops the whole
    file."""
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        return _("The file is empty.")
    except csv.Error as exc:
        return _("Line 1: %(error)s") % {"error": exc}
    missing = [name for name in REGISTER_COLUMNS if name not in header]
    if missing:
        return _("Line 1: the header must name the columns %(columns)s; missing: %(missing)s") % {
            "columns": ", ".join(REGISTER_COLUMNS),
            "missing": ", ".join(missing),
        }
    return {name: header.index(name) for name in REGISTER_COLUMNS}, len(header)


def _register_lines(
    reader: Reader, index: dict[str, int], width: int
) -> tuple[list[RegisterRow], list[str]]:
    rows: list[RegisterRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    try:
        for line_no, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < width:
                errors.append(
                    _("Line %(n)d: expected %(want)d columns, found %(got)d")
                    % {"n": line_no, "want": width, "got": len(cells)}
                )
                continue
            row = _register_row(line_no, cells, index)
            if isinstance(row, str):
                errors.append(row)
            elif row.pec_number in seen:
                errors.append(
                    _("Line %(n)d: %(number)s already appears on line %(first)d")
                    % {"n": line_no, "number": row.pec_number, "first": seen[row.pec_number]}
                )
            else:
                seen[row.pec_number] = line_no
                rows.append(row)
    except csv.Error as exc:
        errors.append(_("Line %(n)d: %(error)s") % {"n": reader.line_num, "error": exc})
    return rows, errors


def _register_rows(content: bytes) -> tuple[list[RegisterRow], list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")]
    if "\x00" in text:
        return [], [_("The file is not a CSV text file.")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _register_header(reader)
    if isinstance(header, str):
        return [], [header]
    rows, errors = _register_lines(reader, *header)
    if not rows and not errors:
        errors.append(_("The file has a header but no rows."))
    return rows, errors


# --- storing it and applying it --------------------------------------------------------------


def _entries_store(
    rows: list[RegisterRow], result: RegisterImportResult
) -> dict[str, PecRegisterEntry]:
    """Create and update the register's rows; return every entry the file names."""
    existing = {
        entry.pec_number: entry
        for entry in PecRegisterEntry.objects.filter(
            pec_number__in=[row.pec_number for row in rows]
        )
    }
    to_create, to_update = [], []
    for row in rows:
        entry = existing.get(row.pec_number)
        values = (row.discipline, row.in_good_standing, row.name_digest)
        if entry is None:
            to_create.append(
                PecRegisterEntry(
                    pec_number=row.pec_number,
                    discipline=row.discipline,
                    in_good_standing=row.in_good_standing,
                    name_digest=row.name_digest,
                )
            )
        elif (entry.discipline, entry.in_good_standing, entry.name_digest) != values:
            entry.discipline, entry.in_good_standing, entry.name_digest = values
            entry.updated_at = timezone.now()
            to_update.append(entry)
        else:
            result.unchanged += 1
    PecRegisterEntry.objects.bulk_create(to_create, batch_size=2000)
    PecRegisterEntry.objects.bulk_update(
        to_update,
        ["discipline", "in_good_standing", "name_digest", "updated_at"],
        batch_size=2000,
    )
    result.created, result.updated = len(to_create), len(to_update)
    return {**existing, **{entry.pec_number: entry for entry in to_create}}


def _register_apply_to_profiles(
    register: dict[str, PecRegisterEntry], *, actor: User | None
) -> tuple[int, int]:
    """Verify the open profiles the register confirms and reject those it lists as not
    current, through the ``pec`` machine in two batches; note the other findings."""
    numbers = list(register)
    verified, rejected, noted = [], [], []
    for start in range(0, len(numbers), 5000):
        chunk = numbers[start : start + 5000]
        profiles = (
            EngineerProfile.objects.select_for_update()
            .select_related("user")
            .filter(pec_number__in=chunk)
            .exclude(verification_state=VerificationState.REJECTED)
        )
        for profile in profiles:
            was = (profile.verification_state, profile.register_match)
            finding = register_finding(
                profile, register[profile.pec_number], profile.user.display_name
            )
            target = register_apply(profile, finding, profile.verification_state)
            if (target, profile.register_match) == was:
                continue
            if target == was[0]:
                noted.append(profile)
            elif target == VerificationState.VERIFIED:
                verified.append(profile)
            else:
                rejected.append(profile)
    for batch, action in ((verified, "confirmed"), (rejected, "lapsed")):
        transition_many(
            PEC_VERIFICATION, batch, action, part="system", actor=actor, fields=_PROFILE_FIELDS
        )
    now = timezone.now()
    for profile in noted:
        profile.updated_at = now
    EngineerProfile.objects.bulk_update(noted, [*_PROFILE_FIELDS, "updated_at"], batch_size=2000)
    Event.objects.bulk_create(
        [
            event_build(
                kind="engineer.pec_verified", subject=profile, **engineer_dimensions(profile)
            )
            for profile in verified
        ],
        batch_size=2000,
    )
    return len(verified), len(rejected)


def _size_checked(content: bytes) -> None:
    if len(content) > settings.REGISTER_IMPORT_MAX_BYTES:
        raise DomainError(
            ErrorCode.IMPORT_INVALID,
            _("The file is larger than %(mb)d MB. Split it and import each part.")
            % {"mb": settings.REGISTER_IMPORT_MAX_BYTES // (1024 * 1024)},
        )


def pec_register_import(*, actor: User | None, content: bytes) -> RegisterImportResult:
    """Import the council's register (pec_number, name, discipline, status), all or nothing.

    Every line is checked first; one bad line rejects the whole file with every error listed by
    line number.  Importing the file that was imported last changes nothing.  Open profiles are
    verified where the register confirms number, discipline and name; numbers the register lists
    as not current are rejected, verified ones included.
    """
    if actor is not None and not actor.has_perm("accounts.import_pec_register"):
        raise DomainError(ErrorCode.NOT_FOUND, _("Not found."))
    _size_checked(content)
    digest = hashlib.sha256(content).hexdigest()
    result = RegisterImportResult()
    latest = PecRegisterImport.objects.order_by("-imported_at", "-pk").first()
    if latest is not None and latest.sha256 == digest:
        result.already_imported = True
        return result
    rows, errors = _register_rows(content)
    if errors:
        raise DomainError(
            ErrorCode.IMPORT_INVALID,
            _("Nothing was imported: %(count)d problem(s) found.") % {"count": len(errors)},
            fields={"file": errors[:200]},
        )
    result.row_count = len(rows)
    with transaction.atomic():
        register = _entries_store(rows, result)
        result.verified, result.rejected = _register_apply_to_profiles(register, actor=actor)
        PecRegisterImport.objects.update_or_create(
            sha256=digest,
            defaults={
                "imported_by": actor,
                "row_count": result.row_count,
                "created_count": result.created,
                "updated_count": result.updated,
                "verified_count": result.verified,
                "imported_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action="pec.register_imported",
            sha256=digest,
            rows=result.row_count,
            verified=result.verified,
            rejected=result.rejected,
        )
    return result


def pec_register_import_start(*, actor: User, name: str, content: bytes) -> Job:
    """Import the register in the background (a whole register takes tens of seconds): the
    file is kept for the job and the page answers at once, then shows the job's outcome.  One
    register import at a time."""
    if not actor.has_perm("accounts.import_pec_register"):
        raise DomainError(ErrorCode.NOT_FOUND, _("Not found."))
    _size_checked(content)
    from rabta.accounts.tasks import register_import_task

    running = register_import_job()
    if running is not None and not running.finished:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("A register import is running: wait for it to finish, then import this file."),
        )
    stored = upload_keep(name=name, content=content)
    job = job_start(register_import_task, stored, actor.pk, user=actor, key=REGISTER_JOB_KEY)
    if job.args[:1] != [stored]:  # another upload's import started a moment before
        upload_discard(stored)
        raise DomainError(
            ErrorCode.CONFLICT,
            _("A register import is running: wait for it to finish, then import this file."),
        )
    return job
