"""Certificates of completion: the rule, bulk issuance, PDFs with a QR code, verification."""

from __future__ import annotations

import io

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from rabta.accounts.models import User
from rabta.core.codes import readable_code
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.services import audit_record
from rabta.programme.attendance import attended_days
from rabta.programme.events import application_event
from rabta.programme.models import Application, ApplicationState, Certificate, Cohort


def certificate_code() -> str:
    return readable_code()


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("programme:certificate_verify", args=[code])


def certificates_issue(*, cohort_id: int) -> int:
    """Issue a certificate to every confirmed participant who meets the completion rule and
    has none yet.  Idempotent: a second run issues nothing new."""
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        raise NotFound()
    issued = 0
    candidates = Application.objects.select_related("cohort").filter(
        cohort=cohort, state=ApplicationState.CONFIRMED, certificate__isnull=True
    )
    for application in candidates.iterator(chunk_size=500):
        if attended_days(application) < cohort.days_required:
            continue
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    Certificate.objects.create(application=application, code=certificate_code())
                    application_event(application, "programme.certified").save()
                issued += 1
                break
            except IntegrityError:
                if Certificate.objects.filter(application=application).exists():
                    break  # issued by a concurrent run
    return issued


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


def qr_draw(pdf: canvas.Canvas, url: str, x: float, y: float, size: int = 110) -> None:
    """A QR code of ``url``, ``size`` points square, with its lower-left corner at (x, y)."""
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)


def certificate_pdf(certificate: Certificate) -> bytes:
    application = certificate.application
    cohort = application.cohort
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Certificate {certificate.code}")
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 130, "Certificate of Completion")
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 170, "Pakistan Engineering Council")
    pdf.drawCentredString(width / 2, height - 200, "Global Engineering Freelance Initiative")
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(width / 2, height - 270, application.user.display_name[:80])
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 305, f"completed {cohort.name[:80]}")
    pdf.drawCentredString(
        width / 2, height - 328, f"{cohort.starts_on:%d %B %Y} to {cohort.ends_on:%d %B %Y}"
    )
    url = verification_url(certificate.code)
    qr_draw(pdf, url, width - 170, 50)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, 80, f"Certificate code: {certificate.code}")
    pdf.drawString(60, 64, f"Verify at {url}")
    pdf.drawString(60, 48, f"Issued {certificate.issued_at:%d %B %Y}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
