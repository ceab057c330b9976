"""Certificates of completion: the rule, bulk issuance, PDFs with a QR code, verification."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.core import pdf
from rabta.core.batches import in_batches
from rabta.core.codes import readable_code
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.jobs import Progress, job_start
from rabta.core.models import Job
from rabta.core.services import audit_record
from rabta.programme.events import application_event
from rabta.programme.models import Application, ApplicationState, Certificate, Cohort
from rabta.programme.services.attendance import attended_days
from rabta.programme.services.notices import application_tell
from rabta.programme.tasks import certificates_issue_task


def certificate_code() -> str:
    return readable_code()


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("programme:certificate_verify", args=[code])


def certificates_issue(*, cohort_id: int, progress: Progress | None = None) -> int:
    """Issue a certificate to every confirmed participant who meets the completion rule and
    has none yet, and tell each one, in the same transaction.  Idempotent: a second run (or a
    run taking over from a killed one) issues and tells nothing twice."""
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        raise NotFound()
    issued = 0
    candidates = Application.objects.select_related("cohort", "user").filter(
        cohort=cohort, state=ApplicationState.CONFIRMED, certificate__isnull=True
    )
    if progress is not None:
        progress.total(candidates.count())
    for number, application in enumerate(in_batches(candidates), start=1):
        if attended_days(application) >= cohort.days_required:
            issued += _certificate_issue(application)
        if progress is not None and number % 50 == 0:
            progress.advance(50)
    return issued


def _certificate_issue(application: Application) -> int:
    """1 when this run issued the certificate, 0 when a concurrent run did."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                Certificate.objects.create(application=application, code=certificate_code())
                application_event(application, "programme.certified").save()
                application_tell(application, "certified", "certificate")
            return 1
        except IntegrityError:
            if Certificate.objects.filter(application=application).exists():
                return 0  # issued by a concurrent run
    raise RuntimeError("no free certificate code after five tries")


def certificates_issue_later(*, actor: User, cohort_id: int) -> Job:
    """Issue a cohort's certificates in the background (a large cohort takes a while); the
    page answers at once and follows the job.  A second click joins the running job."""
    if not actor.has_perm("programme.change_cohort"):
        raise NotFound()
    return job_start(
        certificates_issue_task, cohort_id, user=actor, key=f"certificates:{cohort_id}"
    )


def certificate_revoke(*, actor: User, code: str, reason: str) -> Certificate:
    if not actor.has_perm("programme.change_cohort"):
        raise NotFound()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Give the reason for revoking."),
            fields={"reason": [_("Give the reason for revoking.")]},
        )
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(code=code).first()
        if certificate is None:
            raise NotFound()
        if certificate.revoked_at is None:
            certificate.revoked_at = timezone.now()
            certificate.revoked_reason = reason[:300]
            certificate.save(update_fields=["revoked_at", "revoked_reason"])
            audit_record(
                actor=actor,
                action="programme.certificate_revoked",
                target=certificate,
                reason=reason[:300],
            )
    return certificate


def certificate_pdf(certificate: Certificate) -> bytes:
    application = certificate.application
    cohort = application.cohort
    return pdf.certificate_pdf(
        pdf.CertificateDocument(
            title="Certificate of Completion",
            issuer=("Pakistan Engineering Council", "Global Engineering Freelance Initiative"),
            name=application.user.display_name,
            lines=(
                f"completed {cohort.name[:80]}",
                f"{cohort.starts_on:%d %B %Y} to {cohort.ends_on:%d %B %Y}",
            ),
            code=certificate.code,
            verify_url=verification_url(certificate.code),
            issued=certificate.issued_at,
            document_title=f"Certificate {certificate.code}",
        )
    )
