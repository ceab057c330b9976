"""Attendance: imports of webinar reports, outage excuses completed from the recording."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.models import Event
from rabta.core.services import audit_record
from rabta.programme import attendance_formats as formats
from rabta.programme import states
from rabta.programme.events import application_event
from rabta.programme.models import (
    Application,
    ApplicationState,
    Attendance,
    AttendanceImport,
    AttendanceSource,
    Excuse,
    ExcuseReason,
    ExcuseState,
    LiveSession,
)

IMPORT_MAX_BYTES = 5 * 1024 * 1024
BATCH = 2000


def _present(minutes: int, session: LiveSession) -> bool:
    share = Decimal(session.cohort.min_attendance_share)
    return minutes >= int(share * session.minutes)


def _import_invalid(message: str) -> DomainError:
    return DomainError(ErrorCode.IMPORT_INVALID, message, fields={"file": [message]})


def _report_read(session: LiveSession, content: bytes, source: str) -> tuple[str, formats.Report]:
    """The vendor's report and its kind, read in the cohort's time zone; a malformed one
    refuses whole."""
    tz = ZoneInfo(session.cohort.time_zone)
    try:
        kind = source or formats.detect(content)
        report = formats.read(kind, content, tz)
    except formats.ReportError as exc:
        raise _import_invalid(str(exc)) from exc
    if report.errors:
        raise DomainError(
            ErrorCode.IMPORT_INVALID,
            _("Nothing was imported: %(count)d problem(s) found.") % {"count": len(report.errors)},
            fields={"file": report.errors[:200]},
        )
    if not report.intervals:
        raise _import_invalid(_("The report has no participants."))
    overlapping = [
        email
        for email, intervals in report.intervals.items()
        if formats.minutes_within(intervals, session.starts_at, session.ends_at) > 0
    ]
    if not overlapping:
        raise _import_invalid(
            _(
                "No one in this report was in the meeting during the session "
                "(%(start)s to %(end)s): is it the report of another day, or are its dates "
                "day-first?"
            )
            % {
                "start": timezone.localtime(session.starts_at, tz).strftime("%d %b %H:%M"),
                "end": timezone.localtime(session.ends_at, tz).strftime("%H:%M"),
            }
        )
    return kind, report


def _participants_by_email(session: LiveSession, emails: list[str]) -> dict[str, Application]:
    confirmed = Application.objects.filter(cohort=session.cohort, state=ApplicationState.CONFIRMED)
    participants = {
        a.user.email.lower(): a
        for a in confirmed.select_related("user", "cohort").filter(user__email__in=emails)
    }
    # A case-insensitive second pass for addresses typed with capitals in the vendor account.
    if len(participants) < len(emails):
        for app in confirmed.select_related("user"):
            participants.setdefault(app.user.email.lower(), app)
    return participants


@dataclass
class _Rows:
    """The attendance rows an import writes, and who counts as present for the first time."""

    create: list[Attendance] = field(default_factory=list)
    update: list[Attendance] = field(default_factory=list)
    arrived: list[Application] = field(default_factory=list)
    present: int = 0


def _rows_merge(
    session: LiveSession,
    report: formats.Report,
    participants: dict[str, Application],
    kind: str,
) -> _Rows:
    existing = {
        row.application_id: row
        for row in Attendance.objects.select_for_update().filter(session=session)
    }
    rows = _Rows()
    for email, intervals in report.intervals.items():
        application = participants.get(email)
        if application is None:
            continue
        minutes = formats.minutes_within(intervals, session.starts_at, session.ends_at)
        row = existing.get(application.pk)
        if row is None:
            row = Attendance(session=session, application=application, source=kind)
            rows.create.append(row)
        elif minutes <= row.minutes:
            rows.present += row.present
            continue
        else:
            rows.update.append(row)
        row.minutes, row.source = minutes, kind
        if not row.present and _present(minutes, session):
            row.present = True
            rows.arrived.append(application)
        rows.present += row.present
    return rows


def _imported_before(session: LiveSession, digest: str) -> dict[str, Any] | None:
    """What the same file said when it was imported before, if it was."""
    previous = AttendanceImport.objects.filter(session=session, sha256=digest).first()
    return {**previous.summary, "already_imported": True} if previous is not None else None


def attendance_import(
    *, actor: User, session_id: int, content: bytes, source: str = ""
) -> dict[str, Any]:
    """Import a Zoom or Teams report for one session, all or nothing.

    Rows are matched to confirmed participants by email; several join/leave rows for one
    person are merged (time on two devices counts once) and clipped to the session.  A
    malformed file imports nothing and lists its problems by line; unknown emails are reported
    and skipped.  The same file imported twice changes nothing."""
    if not actor.has_perm("programme.change_cohort"):
        raise NotFound()
    session = LiveSession.objects.select_related("cohort").filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    if len(content) > IMPORT_MAX_BYTES:
        raise DomainError(ErrorCode.IMPORT_INVALID, _("The file is larger than 5 MB."))
    digest = hashlib.sha256(content).hexdigest()
    previous = _imported_before(session, digest)
    if previous is not None:
        return previous
    kind, report = _report_read(session, content, source)
    with transaction.atomic():
        try:
            with transaction.atomic():
                # Taken first: the same file uploaded twice at once waits here, then stops.
                record = AttendanceImport.objects.create(
                    session=session, sha256=digest, source=kind, imported_by=actor
                )
        except IntegrityError:
            first = AttendanceImport.objects.get(session=session, sha256=digest)
            return {**first.summary, "already_imported": True}
        record.summary = _rows_write(session, report, kind)
        record.save(update_fields=["summary"])
        audit_record(
            actor=actor,
            action="programme.attendance_imported",
            target=session,
            **{k: v for k, v in record.summary.items() if k != "unknown_emails"},
        )
    return {**record.summary, "already_imported": False}


def _rows_write(session: LiveSession, report: formats.Report, kind: str) -> dict[str, Any]:
    """Write the report's attendance for the session; returns the import's summary."""
    participants = _participants_by_email(session, list(report.intervals))
    unknown = sorted(email for email in report.intervals if email not in participants)
    rows = _rows_merge(session, report, participants, kind)
    Attendance.objects.bulk_create(rows.create, batch_size=BATCH)
    Attendance.objects.bulk_update(rows.update, ["minutes", "present", "source"], batch_size=BATCH)
    # one event per person and session, when they first count as present
    Event.objects.bulk_create(
        [
            application_event(application, "programme.attended", item=str(session.pk))
            for application in rows.arrived
        ],
        batch_size=BATCH,
    )
    return {
        "without_email": len(report.without_email),
        "rows": report.rows,
        "people": len(report.intervals),
        "matched": len(report.intervals) - len(unknown),
        "present": rows.present,
        "unknown_emails": unknown[:100],
        "source": kind,
    }


def _check_scored(session: LiveSession, answers: list[int]) -> tuple[int | None, bool]:
    """The recording check's score, and whether it reached the session's pass mark (a share
    of the answers, in percent).  A session without questions offers no check: no score, not
    passed, and staff review the report as it is."""
    questions = session.check_questions or []
    if not questions:
        return None, False
    if len(answers) != len(questions):
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Answer every question of the check."),
            fields={"answers": [_("Answer every question of the check.")]},
        )
    score = sum(1 for q, a in zip(questions, answers, strict=True) if q.get("answer") == a)
    return score, score * 100 >= session.pass_mark * len(questions)


def _excusable(user: User, session_id: int, reason: str) -> tuple[LiveSession, Application]:
    """The ended session and the caller's confirmed seat an excuse may be reported for."""
    session = LiveSession.objects.select_related("cohort").filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    application = Application.objects.filter(
        cohort=session.cohort, user=user, state=ApplicationState.CONFIRMED
    ).first()
    if application is None:
        raise NotFound()
    if reason not in ExcuseReason.values:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Choose what caused the absence."),
            fields={"reason": [_("Choose what caused the absence.")]},
        )
    if session.ends_at > timezone.now():
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("You can report an absence once the session has ended.")
        )
    if Attendance.objects.filter(session=session, application=application, present=True).exists():
        raise DomainError(ErrorCode.CONFLICT, _("You are already marked present."))
    return session, application


def excuse_report(
    *, user: User, session_id: int, reason: str, note: str = "", answers: list[int] | None = None
) -> Excuse:
    """A participant who missed a session through a power or internet outage watches the
    recording and answers its short check (when the session has one); staff then review the
    excuse.  A report sent again while it waits replaces the first, but a passed check stays
    passed (the questions may have changed since)."""
    session, application = _excusable(user, session_id, reason)
    score, passed = _check_scored(session, answers or [])
    with transaction.atomic():
        excuse, created = Excuse.objects.select_for_update().get_or_create(
            session=session,
            application=application,
            defaults={"reason": reason, "note": (note or "")[:500]},
        )
        if not created and excuse.state != ExcuseState.PENDING:
            raise DomainError(ErrorCode.CONFLICT, _("This absence was already reviewed."))
        excuse.reason, excuse.note = reason, (note or "")[:500]
        if created or not excuse.check_passed:
            excuse.check_score, excuse.check_passed = score, passed
        excuse.save()
        audit_record(
            actor=user,
            action="programme.excuse_reported",
            target=excuse,
            passed=excuse.check_passed,
            checked=score is not None,
        )
    return excuse


def excuse_review(*, actor: User, excuse_id: int, approve: bool, note: str = "") -> Excuse:
    if not actor.has_perm("programme.change_cohort"):
        raise NotFound()
    with transaction.atomic():
        excuse = (
            Excuse.objects.select_for_update()
            .select_related("session", "application__cohort")
            .filter(pk=excuse_id)
            .first()
        )
        if excuse is None:
            raise NotFound()
        if excuse.state != ExcuseState.PENDING:
            raise DomainError(ErrorCode.INVALID_TRANSITION, _("Already reviewed."))
        # a report made when the session had no check is the reviewer's judgement alone
        if approve and excuse.check_score is not None and not excuse.check_passed:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, _("The recording check was not passed yet.")
            )
        excuse.reviewed_by, excuse.review_note = actor, (note or "")[:300]
        states.transition(
            states.EXCUSE,
            excuse,
            "excuse_approved" if approve else "excuse_rejected",
            part="staff",
            actor=actor,
            fields=("reviewed_by", "review_note"),
        )
        if approve:
            _attendance_excused(excuse)
    return excuse


def _attendance_excused(excuse: Excuse) -> None:
    """An approved excuse counts the participant present, from the recording; the first time
    they count as present records the ``excused`` event."""
    was_present = Attendance.objects.filter(
        session=excuse.session, application=excuse.application, present=True
    ).exists()
    Attendance.objects.update_or_create(
        session=excuse.session,
        application=excuse.application,
        defaults={"present": True, "source": AttendanceSource.RECORDING},
    )
    if not was_present:
        application_event(
            excuse.application, "programme.excused", item=str(excuse.session_id)
        ).save()


def attended_days(application: Application) -> int:
    """Days on which the participant was present at every session (live or excused)."""
    sessions = list(application.cohort.sessions.all())
    present = set(
        Attendance.objects.filter(application=application, present=True).values_list(
            "session_id", flat=True
        )
    )
    tz = ZoneInfo(application.cohort.time_zone)
    days: dict[object, bool] = {}
    for session in sessions:
        day = session.starts_at.astimezone(tz).date()
        days[day] = days.get(day, True) and session.pk in present
    return sum(days.values())
