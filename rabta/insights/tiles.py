"""A dashboard tile: a chart, the table behind it and how it was computed, with the labels its
rows are written in.  Built from protected rollups only (``rabta.insights.selectors``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries

from rabta.accounts.reference import Discipline, Gender, Province, Sector, districts_by_code
from rabta.engine.pathways import pathways
from rabta.insights import charts
from rabta.insights import selectors as sel
from rabta.insights.stats import BY_NAME

DIMENSION_LABELS = {
    "province": gettext_lazy("Province"),
    "district": gettext_lazy("District"),
    "gender": gettext_lazy("Gender"),
    "discipline": gettext_lazy("Discipline"),
    "career": gettext_lazy("Career stage"),
    "pathway": gettext_lazy("Pathway"),
    "country": gettext_lazy("Country"),
    "sector": gettext_lazy("Sector"),
}
READINESS_LABELS = {
    "english_written": gettext_lazy("Written English"),
    "english_spoken": gettext_lazy("Spoken English"),
    "payment": gettext_lazy("Payment account"),
    "collaboration": gettext_lazy("Collaboration tools"),
    "profiles": gettext_lazy("Online profiles"),
    "internet": gettext_lazy("Connectivity"),
    "power": gettext_lazy("Power backup"),
    "hours": gettext_lazy("Hours available"),
}


def _district(value: str) -> str:
    province, _slash, code = value.partition("/")
    found = districts_by_code().get(code)
    name = (found.name_ur if get_language() == "ur" else found.name) if found else code
    return f"{name or _('Not stated')} ({label('province', province)})"


def _choices(dim: str) -> dict[str, Any]:
    known: dict[str, dict[str, Any]] = {
        "province": dict(Province.choices),
        "gender": dict(Gender.choices),
        "discipline": dict(Discipline.choices),
        "sector": dict(Sector.choices),
        "career": {"early": _("Early career"), "experienced": _("Experienced")},
    }
    return known.get(dim, {})


def label(dim: str, value: str) -> str:
    """How a value of a dimension reads on a dashboard."""
    if value == "":
        return str(_("Not stated"))
    if dim == "district":
        return _district(value)
    if dim == "pathway":
        return _pathway_titles().get(value, value)
    if dim == "country":
        return str(countries.name(value) or value)
    return str(_choices(dim).get(value, value))


def _pathway_titles() -> dict[str, str]:
    return {p.slug: p.title for p in pathways()}


def dim_label(dim: str) -> str:
    """A dimension's name inside a sentence ("by province")."""
    return str(DIMENSION_LABELS[dim]).lower()


@dataclass
class Tile:
    slug: str
    title: str
    chart: charts.Chart | None
    headers: list[str]
    rows: list[list[Any]]
    method: str = ""
    live: bool = False
    notes: list[str] = field(default_factory=list)


def cell(value: Any) -> Any:
    """A published count: hidden ones read "<10"."""
    return "<10" if value is None else value


def breakdown_tile(
    slug: str, title: str, stat: str, dim: str, cohort: str, *, limit: int = 15, **chart: Any
) -> Tile:
    """One stat by one dimension: the largest ``limit`` rows, then how many more there are."""
    view = sel.breakdown(stat=stat, dim=dim, cohort=cohort)
    unit = BY_NAME[stat].unit
    rows = view.rows[:limit]
    chart_rows: list[tuple[str, float | None]] = [
        (label(dim, v), t if unit == "usd" else n) for v, n, t in rows
    ]
    headers = [str(DIMENSION_LABELS[dim]), str(_("Count"))]
    table = [[label(dim, v), cell(n)] for v, n, _t in rows]
    if unit:
        headers.append(str(_("US dollars")) if unit == "usd" else str(_("Hours")))
        for row, (_v, _n, t) in zip(table, rows, strict=True):
            row.append(cell(t))
    if len(view.rows) > limit:
        table.append([_("%(n)d more") % {"n": len(view.rows) - limit}, "", *([""] if unit else [])])
    return Tile(
        slug,
        title,
        charts.bars(title, chart_rows, unit=unit if unit == "usd" else "", **chart),
        headers,
        table,
    )
