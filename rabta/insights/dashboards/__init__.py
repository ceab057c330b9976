"""The dashboards, each a list of tiles (``rabta.insights.tiles``) built from protected rollups
only: the programme's pages (``programme``), the careers pages (``careers``) and Brain Gain
(``brain_gain``).  A page and its CSV and PNG exports are built by the same function, so an
export can never show more than the page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from rabta.insights import selectors as sel
from rabta.insights.dashboards.brain_gain import brain_gain
from rabta.insights.dashboards.careers import categories, outcomes, skills
from rabta.insights.dashboards.programme import attendance, inclusion, programme
from rabta.insights.tiles import DIMENSION_LABELS, READINESS_LABELS, Tile, label
from rabta.programme.models import Cohort

ALL = sel.ALL

__all__ = [
    "DIMENSION_LABELS",
    "PAGES",
    "READINESS_LABELS",
    "Tile",
    "attendance",
    "brain_gain",
    "categories",
    "inclusion",
    "label",
    "outcomes",
    "programme",
    "skills",
    "tiles",
]

PAGES = {
    "programme": gettext_lazy("Programme"),
    "inclusion": gettext_lazy("Inclusion"),
    "attendance": gettext_lazy("Attendance"),
    "skills": gettext_lazy("Skill gaps"),
    "categories": gettext_lazy("Service categories"),
    "outcomes": gettext_lazy("Outcomes"),
    "brain-gain": gettext_lazy("Brain Gain"),
}


def tiles(
    page: str,
    *,
    cohort: str = ALL,
    cohort_obj: Cohort | None = None,
    dim: str = "",
    stage: str = "applied",
) -> list[Tile]:
    """One page's tiles: what the page shows, what its exports and the monthly report take."""
    if page == "programme":
        return programme(cohort=cohort, dim=dim, stage=stage)
    if page == "inclusion":
        return inclusion(cohort=cohort_obj or sel.cohort_current())
    if page == "attendance":
        return attendance(cohort=cohort_obj or sel.cohort_current())
    if page == "skills":
        return skills()
    if page == "categories":
        return categories()
    if page == "outcomes":
        return outcomes(cohort=cohort)
    if page == "brain-gain":
        return brain_gain()
    raise KeyError(page)
