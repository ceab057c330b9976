"""Council dashboards: aggregates only, every cell protected, every export recorded."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from rabta.core.services import audit_record
from rabta.insights import charts, dashboards, reports, services
from rabta.insights import selectors as sel
from rabta.insights.models import MonthlyReport
from rabta.insights.stats import PEOPLE

PERMISSION = "insights.view_dashboard"
DIMENSIONS = (*PEOPLE, "pathway")


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The page's filters, each checked against what exists: anything else is ignored."""
    cohorts = sel.cohorts_by_slug()
    slug = request.GET.get("cohort", "")
    dim = request.GET.get("dim", "")
    return {
        "cohorts": cohorts,
        "cohort": slug if slug in cohorts else sel.ALL,
        "dim": dim if dim in DIMENSIONS else "",
        "stage": request.GET.get("stage", "applied"),
    }


def _tiles(page: str, f: dict[str, Any]) -> list[dashboards.Tile]:
    if page not in dashboards.PAGES:
        raise Http404
    if page == "inclusion":  # live: bring the rollups up to date first (at most once a beat)
        services.rollups_refresh(every_seconds=settings.INSIGHTS_LIVE_SECONDS)
    return dashboards.tiles(
        page,
        cohort=f["cohort"],
        cohort_obj=f["cohorts"].get(f["cohort"]),
        dim=f["dim"],
        stage=f["stage"],
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def page(request: HttpRequest, page: str = "programme") -> HttpResponse:
    if page not in dashboards.PAGES:
        raise Http404
    f = _filters(request)
    tiles = _tiles(page, f)
    context = {
        "page": page,
        "pages": dashboards.PAGES,
        "tiles": tiles,
        "live": any(t.live for t in tiles),
        "filters": f,
        "dimensions": [(d, dashboards.DIMENSION_LABELS[d]) for d in DIMENSIONS],
        "query": request.GET.urlencode(),
        "threshold": sel.threshold(),
        "filled_at": services.filled_at(),
        "live_seconds": settings.INSIGHTS_LIVE_SECONDS,
    }
    if request.htmx and request.GET.get("tiles"):  # type: ignore[attr-defined]
        return render(request, "insights/_tiles.html", context)
    return render(request, "insights/page.html", context)


def _tile_get(page: str, f: dict[str, Any], slug: str, fmt: str) -> dashboards.Tile:
    """The tile as the page shows it; a PNG only of a tile with a chart."""
    found = next((t for t in _tiles(page, f) if t.slug == slug), None)
    if found is None or (fmt == "png" and found.chart is None):
        raise Http404
    return found


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def export(request: HttpRequest, page: str, tile: str, fmt: str) -> HttpResponse:
    """A tile as CSV (its table) or PNG (its chart), exactly as the page shows it."""
    if page not in dashboards.PAGES or fmt not in ("csv", "png"):
        raise Http404
    f = _filters(request)
    with translation.override("en" if fmt == "png" else translation.get_language()):
        found = _tile_get(page, f, tile, fmt)
        audit_record(
            actor=request.user,
            action="insights.export",
            page=page,
            tile=tile,
            format=fmt,
            filters={k: f[k] for k in ("cohort", "dim", "stage")},
        )
        name = f"rabta-{page}-{tile}-{timezone.localdate():%Y%m%d}.{fmt}"
        if fmt == "png" and found.chart is not None:  # a tile without a chart has no PNG
            response = HttpResponse(found.chart.png(), content_type="image/png")
        else:
            response = HttpResponse(_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _csv(found: dashboards.Tile) -> str:
    """A tile's table as CSV: its title, headers, rows and, after a blank line, its method."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([found.title])
    writer.writerow(found.headers)
    writer.writerows([[_csv_safe(v) for v in row] for row in found.rows])
    if found.method:
        writer.writerow([])
        writer.writerow([found.method])
    return buffer.getvalue()


def _csv_safe(value: Any) -> Any:
    """A label that starts like a formula is written as text, so a spreadsheet never runs it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
@cache_control(public=True, max_age=86400 * 30)
def world_map(request: HttpRequest) -> HttpResponse:
    """The land outline behind the contributors map: the same for everyone, cached long."""
    return HttpResponse(charts.world_svg(), content_type="image/svg+xml")


# --- the monthly report -------------------------------------------------------------------------


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.has_perm("insights.generate_report"):
            raise Http404
        month = reports.month_last()
        reports.report_start(month=month, actor=request.user)
        messages.success(
            request,
            _("The report for %(m)s is being generated: it appears below when it is ready.")
            % {"m": month.strftime("%B %Y")},
        )
        return redirect("insights:reports")
    context = {
        "job": sel.report_job(month=reports.month_last()),
        "reports": sel.reports_recent(),
        "pages": dashboards.PAGES,
        "page": "reports",
        "can_generate": request.user.has_perm("insights.generate_report"),
    }
    return render(request, "insights/reports.html", context)


def _report(month: str) -> MonthlyReport:
    try:
        first = reports.month_parse(month)
    except ValueError as exc:
        raise Http404 from exc
    report = sel.report_get(month=first)
    if report is None:
        raise Http404
    return report


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def report(request: HttpRequest, month: str) -> HttpResponse:
    found = _report(month)
    return render(
        request,
        "insights/report.html",
        {"report": found, "data": found.data, "pages": dashboards.PAGES, "page": "reports"},
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def report_pdf(request: HttpRequest, month: str) -> HttpResponse:
    found = _report(month)
    audit_record(
        actor=request.user, action="insights.export", page="report", tile=month, format="pdf"
    )
    response = HttpResponse(reports.report_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rabta-insights-{month}.pdf"'
    return response
