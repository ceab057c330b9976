"""Small PDF toolkit shared by the one-page résumé and the contracts.

Everything a person typed goes through ``text`` before it reaches ReportLab: its paragraphs
understand a little markup, so an unescaped ``<`` would be read as a tag (or break the build).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, SimpleDocTemplate

MARGIN = 16 * mm
_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("title", parent=_base["Title"], fontSize=16, spaceAfter=4, alignment=0),
    "h2": ParagraphStyle(
        "h2", parent=_base["Heading2"], fontSize=11.5, spaceBefore=7, spaceAfter=3
    ),
    "body": ParagraphStyle("body", parent=_base["BodyText"], fontSize=9.5, leading=12.5),
    "small": ParagraphStyle("small", parent=_base["BodyText"], fontSize=8, leading=10),
}


def text(value: object) -> str:
    """Plain text made safe for a ReportLab paragraph, keeping line breaks."""
    return escape(str(value)).replace("\n", "<br/>")


def para(value: object, style: str = "body", markup: str = "") -> Paragraph:
    """A paragraph of user text; ``markup`` is our own safe prefix, e.g. "<b>Role:</b> "."""
    return Paragraph(markup + text(value), STYLES[style])


def document_build(flowables: list[Flowable], *, title: str, one_page: bool = False) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="",
        creator="Rabta",
    )
    if one_page:
        # Shrink to fit rather than spill: a one-page résumé is a promise to the reader.
        flowables = [KeepInFrame(doc.width, doc.height, flowables, mode="shrink")]
    doc.build(flowables)
    return buffer.getvalue()
