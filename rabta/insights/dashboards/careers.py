"""The pages about careers: the skill gaps that matter most, the most promising service
categories, and outcomes (first engagements, earnings, time to the first engagement)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rabta.engine.taxonomy import taxonomy
from rabta.insights import charts
from rabta.insights import selectors as sel
from rabta.insights.stats import DAY_BUCKETS
from rabta.insights.tiles import READINESS_LABELS, Tile, breakdown_tile, cell, dim_label, label
from rabta.profiling import selectors as profiling

ALL = sel.ALL


# --- skill gaps -----------------------------------------------------------------------------


SKILL_GAPS_SHOWN = 12
GAP_PATHWAYS_SHOWN = 8


def _skill_label(skill_id: str) -> str:
    try:
        return taxonomy().skill(skill_id).label
    except KeyError:
        return skill_id


def _ranked(cells: dict[tuple[str, str], int | None]) -> list[tuple[int | None, str]]:
    """The items' totals (the all-values row), largest first, hidden ones last."""
    return sorted(
        ((n, item) for (v, item), n in cells.items() if v == ALL),
        key=lambda r: (r[0] is None, -(r[0] or 0), r[1]),
    )


def _gap_pathways(gaps: dict[tuple[str, str], int | None]) -> list[str]:
    """The pathways whose assessments miss the most essential skills (shown counts only)."""
    per_pathway: dict[str, int] = {}
    for (v, _item), n in gaps.items():
        if v != ALL:
            per_pathway[v] = per_pathway.get(v, 0) + (n or 0)
    return sorted(per_pathway, key=lambda v: -per_pathway[v])[:GAP_PATHWAYS_SHOWN]


GAPS_METHOD = gettext_lazy(
    "For each completed assessment, up to five essential skills of the best-fitting "
    "pathway that the person does not yet have (ESCO). Counted per assessment."
)


def _heatmap_tile(
    gaps: dict[tuple[str, str], int | None], top_items: list[str], labels: dict[str, str]
) -> Tile:
    cols = _gap_pathways(gaps)
    title = _("Missing essential skills by pathway")
    heat = charts.heatmap(
        title,
        [labels[i] for i in top_items],
        [label("pathway", c) for c in cols],
        {(labels[i], label("pathway", c)): gaps.get((c, i), 0) for i in top_items for c in cols},
    )
    return Tile(
        "heatmap",
        title,
        heat,
        [str(_("Skill")), *(label("pathway", c) for c in cols)],
        [[labels[i], *(cell(gaps.get((c, i), 0)) for c in cols)] for i in top_items],
        str(GAPS_METHOD),
    )


def _gap_tiles() -> list[Tile]:
    gaps = sel.items(stat="skill_gap", dim="pathway")
    totals = _ranked(gaps)[:SKILL_GAPS_SHOWN]
    top_items = [item for _n, item in totals]
    labels = {i: _skill_label(i) for i in top_items}
    top_title = _("The skill gaps that matter most")
    top = Tile(
        "top-gaps",
        top_title,
        charts.bars(top_title, [(labels[i], n) for n, i in totals]),
        [str(_("Skill")), str(_("Assessments missing it"))],
        [[labels[i], cell(n)] for n, i in totals],
        str(GAPS_METHOD),
    )
    return [top, _heatmap_tile(gaps, top_items, labels)]


def _readiness_tile() -> Tile:
    readiness = sel.items(stat="readiness_gap", dim="gender")
    parts = _ranked(readiness)
    genders = sorted({v for v, _i in readiness if v != ALL})
    title = _("Digital-readiness gaps")
    bars = [(str(READINESS_LABELS.get(i, i)), n) for n, i in parts]
    return Tile(
        "readiness",
        title,
        charts.bars(title, bars),
        [str(_("Gap")), str(_("All")), *(label("gender", g) for g in genders)],
        [
            [
                str(READINESS_LABELS.get(i, i)),
                cell(n),
                *(cell(readiness.get((g, i), 0)) for g in genders),
            ]
            for n, i in parts
        ],
        _(
            "Parts of digital readiness scored below 70%: English, a payment account that "
            "can receive from abroad, connectivity, power backup, tools, profiles, hours."
        ),
    )


def skills() -> list[Tile]:
    return [*_gap_tiles(), _readiness_tile()]


# --- promising service categories ---------------------------------------------------------

Opportunity = tuple[str, float, int | None, float | None, float | None, int | None]


def _opportunities() -> list[Opportunity]:
    """(pathway, demand share, supply, supply share, opportunity index, first engagements),
    most promising first.  Supply and its share are hidden where the supply count is."""
    demand = profiling.demand_current()
    supply = {v: n for v, n, _t in sel.breakdown(stat="assessed", dim="pathway").rows}
    engaged = {v: n for v, n, _t in sel.breakdown(stat="engaged", dim="pathway").rows}
    all_supply = sel.breakdown(stat="assessed").count or 0
    demand_total = sum(demand.values()) or 1.0
    rows: list[Opportunity] = []
    for slug, d in demand.items():
        s = supply.get(slug, 0)
        d_share = d / demand_total
        s_share = index = None
        if s is not None and all_supply:
            s_share = s / all_supply
            # +1 keeps a pathway nobody fits yet from dividing by zero; it is the best signal
            index = round(d_share / ((s + 1) / (all_supply + 1)), 2)
        rows.append((slug, d_share, s, s_share, index, engaged.get(slug, 0)))
    rows.sort(key=lambda r: (r[4] is None, -(r[4] or 0), r[0]))
    return rows


def categories() -> list[Tile]:
    rows = _opportunities()
    title = _("Most promising service categories")
    return [
        Tile(
            "opportunity",
            title,
            charts.bars(title, [(label("pathway", r[0]), r[4]) for r in rows[:12]]),
            [
                str(_("Pathway")),
                str(_("Demand share")),
                str(_("Participants who fit best")),
                str(_("Supply share")),
                str(_("Opportunity index")),
                str(_("First engagements")),
            ],
            [
                [
                    label("pathway", r[0]),
                    f"{100 * r[1]:.1f}%",
                    cell(r[2]),
                    "<10" if r[3] is None else f"{100 * r[3]:.1f}%",
                    "—" if r[4] is None else r[4],
                    cell(r[5]),
                ]
                for r in rows
            ],
            _(
                "Opportunity index = demand share ÷ supply share, where demand share is the "
                "pathway's demand (its calibrated prior blended with the job postings of the "
                "last 90 days) over all pathways' demand, and supply share is (participants whose "
                "best-fitting pathway it is + 1) ÷ (participants assessed + 1). Above 1: more "
                "demand than the programme supplies. Hidden where the supply count is hidden."
            ),
        )
    ]


# --- outcomes -------------------------------------------------------------------------------


def outcomes(*, cohort: str = ALL) -> list[Tile]:
    tiles = []
    for dim in ("pathway", "gender", "province"):
        title = _("First engagements by %(dim)s") % {"dim": dim_label(dim)}
        tiles.append(breakdown_tile(f"engaged-{dim}", title, "engaged", dim, cohort, limit=12))
    for dim in ("pathway", "gender", "province"):
        title = _("Earnings reported (USD) by %(dim)s") % {"dim": dim_label(dim)}
        tile = breakdown_tile(f"earnings-{dim}", title, "earnings", dim, cohort, limit=12)
        tile.method = _(
            "Payments participants reported in their outcome log, in US dollars: an estimate "
            "of foreign exchange earned. An amount is hidden whenever its count is."
        )
        tiles.append(tile)
    bands = sel.items(stat="engaged")
    title = _("Days from joining to first engagement")
    rows = [(band, bands.get(("", band), 0)) for band in DAY_BUCKETS]
    tiles.append(
        Tile(
            "time-to-engagement",
            title,
            charts.bars(title, rows),
            [str(_("Days")), str(_("People"))],
            [[b, cell(n)] for b, n in rows],
        )
    )
    return tiles
