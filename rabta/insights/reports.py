"""The council's monthly insights report: the key figures, the most promising categories, the
skill gaps that matter most and inclusion, each with its method, built from the same protected
tiles as the dashboards and frozen when generated."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from rabta.core.jobs import job_start
from rabta.core.models import Job
from rabta.core.privacy import threshold
from rabta.core.services import audit_record
from rabta.insights import dashboards, services
from rabta.insights.models import FillState, MonthlyReport

SECTIONS = (
    ("programme", "funnel", 12),
    ("categories", "opportunity", 5),
    ("skills", "top-gaps", 5),
    ("skills", "readiness", 8),
    ("inclusion", "applied-gender", 6),
    ("inclusion", "seated-gender", 6),
    ("inclusion", "applied-career", 4),
    ("inclusion", "applied-province", 10),
    ("outcomes", "engaged-pathway", 5),
    ("outcomes", "earnings-gender", 6),
    ("brain-gain", "contributors", 10),
    ("brain-gain", "matches-sector", 8),
)


def month_last(today: date | None = None) -> date:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def month_parse(text: str) -> date:
    year, month = (int(part) for part in text.split("-"))
    return date(year, month, 1)


def report_generate(*, month: date, actor: Any | None = None) -> MonthlyReport:
    """Build (or rebuild) the report for ``month`` from the rollups as they stand now."""
    services.rollups_fill()
    built: dict[str, list[dashboards.Tile]] = {}
    sections = []
    for page, slug, limit in SECTIONS:
        if page not in built:
            built[page] = dashboards.tiles(page)
        tiles = built[page]
        tile = next((t for t in tiles if t.slug == slug), None)
        if tile is None:
            continue
        sections.append(
            {
                "page": page,
                "title": str(tile.title),
                "headers": [str(h) for h in tile.headers],
                "rows": [[str(v) for v in row] for row in tile.rows[:limit]],
                "method": str(tile.method),
            }
        )
    version = FillState.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    data = {
        "month": month.isoformat(),
        "as_of": timezone.now().isoformat(timespec="minutes"),
        "threshold": threshold(),
        "sections": sections,
    }
    report, _created = MonthlyReport.objects.update_or_create(
        month=month, defaults={"data": data, "fill_version": version}
    )
    audit_record(actor=actor, action="insights.report_generated", target=report)
    return report


def report_pdf(report: MonthlyReport) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Rabta insights {report.month:%B %Y}",
        leftMargin=1.6 * cm,
        rightMargin=1.6 * cm,
    )
    story: list[Any] = [
        Paragraph(f"Rabta council insights: {report.month:%B %Y}", styles["Title"]),
        Paragraph(
            _(
                "Figures to %(as_of)s, from the rollups of the platform's events. Counts from 1 "
                "to %(t)d are shown as <10, with others hidden as needed so none can be "
                "recovered."
            )
            % {"as_of": report.data["as_of"].replace("T", " "), "t": report.data["threshold"] - 1},
            styles["Italic"],
        ),
    ]
    for section in report.data["sections"]:
        story.append(Spacer(1, 0.4 * cm))
        story.append(Paragraph(_escape(section["title"]), styles["Heading2"]))
        rows = [section["headers"], *section["rows"]]
        table = Table(
            [[Paragraph(_escape(str(c)), styles["BodyText"]) for c in row] for row in rows],
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4f2ec")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        if section["method"]:
            story.append(Paragraph(_escape(section["method"]), styles["Italic"]))
    doc.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_key(month: date) -> str:
    """One generation of a month's report at a time."""
    return f"report:{month:%Y-%m}"


def report_start(*, month: date, actor: Any) -> Job:
    """Generate ``month``'s report in the background; the page answers at once."""
    from rabta.insights.tasks import report_generate_task

    return job_start(
        report_generate_task, month.isoformat(), actor.pk, user=actor, key=report_key(month)
    )
