"""The programme's part of a person's data: applications with their attendance, excuses and
certificates (see ``rabta.core.personal_data``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rabta.accounts.models import User
from rabta.core.personal_data import anonymise, delete, record, section_register
from rabta.programme.models import (
    AllocationRun,
    Application,
    Attendance,
    AttendanceImport,
    Certificate,
    Excuse,
)
from rabta.programme.services.applications import seats_release_for_deleted_user
from rabta.programme.services.certificates import certificate_pdf


def _application(application: Application) -> dict[str, Any]:
    certificate = Certificate.objects.filter(application=application).first()
    return {
        "cohort": application.cohort.name,
        **record(
            application,
            exclude=("id", "cohort", "user", "idempotency_key", "lottery_rank"),
        ),
        "attendance": [
            {
                "session": a.session.title,
                "starts_at": a.session.starts_at,
                **record(a, only=("minutes", "present", "source", "updated_at")),
            }
            for a in Attendance.objects.filter(application=application)
            .select_related("session")
            .order_by("session__starts_at")
        ],
        "excuses": [
            {
                "session": e.session.title,
                **record(
                    e,
                    only=(
                        "reason",
                        "note",
                        "check_score",
                        "check_passed",
                        "state",
                        "created_at",
                        "review_note",
                    ),
                ),
            }
            for e in Excuse.objects.filter(application=application)
            .select_related("session")
            .order_by("created_at")
        ],
        "certificate": record(
            certificate, only=("code", "issued_at", "revoked_at", "revoked_reason")
        )
        if certificate
        else None,
    }


def programme_export(user: User) -> dict[str, Any]:
    applications = Application.objects.filter(user=user).select_related("cohort")
    return {
        "applications": [_application(a) for a in applications.order_by("created_at", "pk")],
        # staff work: when, never the other people's rows
        "allocation_runs_made": [
            record(r, only=("created_at", "committed", "seed"))
            for r in AllocationRun.objects.filter(created_by=user).order_by("created_at")
        ],
        "attendance_imports_made": [
            record(i, only=("imported_at", "source"))
            for i in AttendanceImport.objects.filter(imported_by=user).order_by("imported_at")
        ],
        "excuses_reviewed": Excuse.objects.filter(reviewed_by=user).count(),
    }


def programme_files(user: User) -> Iterator[tuple[str, bytes]]:
    """Each certificate still standing, made afresh (as its download page makes it)."""
    certificates = Certificate.objects.filter(
        application__user=user, revoked_at__isnull=True
    ).select_related("application__cohort", "application__user")
    for certificate in certificates.order_by("issued_at"):
        yield f"certificate-{certificate.code}.pdf", certificate_pdf(certificate)


def _seats_release(user: User, placeholder: User) -> None:
    """Held seats are withdrawn first, so the waitlist moves up (as on the user's pre_delete)."""
    seats_release_for_deleted_user(sender=User, instance=user)


section_register(
    app="programme",
    title="Your applications to Freelance Initiative cohorts, your attendance, excuses and "
    "certificates (the PDFs are in files/programme/).",
    export=programme_export,
    files=programme_files,
    before_erase=_seats_release,
    position=20,
    rules={
        "programme.Application.user": delete(
            "Attendance, excuses and certificates go with the application; a certificate's "
            "code then reads as unknown."
        ),
        "programme.AllocationRun.created_by": anonymise(
            "An allocation run is the cohort's record of how seats were placed."
        ),
        "programme.AttendanceImport.imported_by": anonymise(
            "An attendance import is the session's record of who attended."
        ),
        "programme.Excuse.reviewed_by": anonymise(
            "A reviewed excuse is the participant's record; it no longer says who reviewed it."
        ),
    },
)
