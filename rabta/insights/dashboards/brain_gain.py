"""The Brain Gain page: contributors by country, asks and matches by sector, response times."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from rabta.insights import charts
from rabta.insights import selectors as sel
from rabta.insights.stats import BY_NAME, HOUR_BUCKETS
from rabta.insights.tiles import Tile, breakdown_tile, cell, label

ALL = sel.ALL


# --- Brain Gain -----------------------------------------------------------------------------


def brain_gain() -> list[Tile]:
    people = sel.breakdown(stat="contributors", dim="country")
    title = _("Contributors by country")
    map_chart = charts.world(
        title, {v: n for v, n, _t in people.rows if v}, reverse("insights:world_map")
    )
    tiles = [
        Tile(
            "contributors",
            title,
            map_chart,
            [str(_("Country")), str(_("Contributors"))],
            [[label("country", v), cell(n)] for v, n, _t in people.rows],
        )
    ]
    for stat in ("asks", "matches", "mentorships_done", "engagements"):
        title = _("%(stat)s by sector") % {"stat": BY_NAME[stat].label}
        tiles.append(breakdown_tile(f"{stat}-sector", title, stat, "sector", ALL))
    bands = sel.items(stat="matches")
    rows = [(band, bands.get(("", band), 0)) for band in HOUR_BUCKETS]
    title = _("Hours a contributor took to accept")
    tiles.append(
        Tile(
            "response",
            title,
            charts.bars(title, rows),
            [str(_("Hours")), str(_("Matches"))],
            [[b, cell(n)] for b, n in rows],
        )
    )
    return tiles
