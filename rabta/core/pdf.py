"""The one certificate PDF: every kind of certificate Rabta issues (programme completion,
Brain Gain contribution) is the same page drawn from a small description of what it says.

Pure rendering: no database, no request.  The caller says what the certificate says and where
it is verified; this draws it, one landscape A4 page with a QR code of the verification URL.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

# Names and quoted titles are cut so that one line never runs off the page.
NAME_MAX = 80


@dataclass(frozen=True)
class CertificateDocument:
    """What a certificate says.

    ``title`` heads the page ("Certificate of Completion"); ``issuer`` lines name who issues
    it and for which programme; ``name`` is the person certified; ``lines`` say what for (one
    centred line each); ``code`` and ``verify_url`` let anyone check it; ``issued`` dates it
    when given; ``language`` is the document's language tag; ``document_title`` is the PDF's
    own title (a viewer's window title), by default the title and the code.
    """

    title: str
    name: str
    code: str
    verify_url: str
    issuer: tuple[str, ...] = ("Pakistan Engineering Council",)
    lines: tuple[str, ...] = ()
    issued: date | None = None
    language: str = "en"
    document_title: str = ""


def qr_draw(pdf: canvas.Canvas, url: str, x: float, y: float, size: int = 110) -> None:
    """A QR code of ``url``, ``size`` points square, with its lower-left corner at (x, y)."""
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)


def certificate_pdf(document: CertificateDocument) -> bytes:
    """The certificate as a one-page PDF."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), lang=document.language)
    pdf.setTitle(document.document_title or f"{document.title} {document.code}")
    centre = width / 2
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(centre, height - 130, document.title)
    pdf.setFont("Helvetica", 14)
    for index, line in enumerate(document.issuer):
        pdf.drawCentredString(centre, height - 170 - 30 * index, line)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(centre, height - 270, document.name[:NAME_MAX])
    pdf.setFont("Helvetica", 14)
    for index, line in enumerate(document.lines):
        pdf.drawCentredString(centre, height - 305 - 23 * index, line)
    qr_draw(pdf, document.verify_url, width - 170, 50)
    pdf.setFont("Helvetica", 10)
    footer = [
        f"Certificate code: {document.code}",
        f"Verify at {document.verify_url}",
    ]
    if document.issued is not None:
        footer.append(f"Issued {document.issued:%d %B %Y}")
    for index, line in enumerate(footer):
        pdf.drawString(60, 80 - 16 * index, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
