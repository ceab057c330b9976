"""The programme's pages: the funnel from registration to first engagement, inclusion in the
current cohort (live while applications are open) and attendance."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.reference import Gender
from rabta.core.privacy import threshold
from rabta.insights import charts
from rabta.insights import selectors as sel
from rabta.insights.stats import BY_NAME, FUNNEL
from rabta.insights.tiles import Tile, breakdown_tile, cell, dim_label, label
from rabta.programme.models import Cohort

ALL = sel.ALL


# --- the programme funnel -------------------------------------------------------------------


def _stages_by_dimension(*, cohort: str, dim: str, stage: str) -> list[Tile]:
    """One stage by a dimension, and every stage across that stage's largest values."""
    if stage not in FUNNEL or dim not in BY_NAME[stage].dims:
        stage = "applied"
    title = _("%(stage)s by %(dim)s") % {"stage": BY_NAME[stage].label, "dim": dim_label(dim)}
    tile = breakdown_tile("by-dimension", title, stage, dim, cohort)
    values = [v for v, _n, _t in sel.breakdown(stat=stage, dim=dim, cohort=cohort).rows][:8]
    grid = []
    for name in (name for name in FUNNEL if dim in BY_NAME[name].dims):
        cells = {v: n for v, n, _t in sel.breakdown(stat=name, dim=dim, cohort=cohort).rows}
        grid.append([str(BY_NAME[name].label), *(cell(cells.get(v, 0)) for v in values)])
    every = Tile(
        "stages-by-dimension",
        _("Every stage by %(dim)s") % {"dim": dim_label(dim)},
        None,
        [str(_("Stage")), *(label(dim, v) for v in values)],
        grid,
    )
    return [tile, every]


def programme(*, cohort: str = ALL, dim: str = "", stage: str = "applied") -> list[Tile]:
    rows: list[tuple[str, float | None]] = [
        (str(BY_NAME[name].label), sel.breakdown(stat=name, cohort=cohort).count) for name in FUNNEL
    ]
    method = _(
        "Each stage counts people once, at the first time they reached it (a second assessment "
        "or a re-published portfolio is not counted again). Registration, profile, PEC and "
        "assessment stages come before a cohort, so under a cohort they are empty. Counts "
        "from 1 to %(t)d are hidden, with as many others as it takes to keep them hidden."
    ) % {"t": threshold() - 1}
    title = _("From registration to first engagement")
    funnel = Tile(
        "funnel",
        title,
        charts.bars(title, rows),
        [str(_("Stage")), str(_("People"))],
        [[r[0], cell(r[1])] for r in rows],
        method,
    )
    if not dim:
        return [funnel]
    return [funnel, *_stages_by_dimension(cohort=cohort, dim=dim, stage=stage)]


# --- inclusion ------------------------------------------------------------------------------


def inclusion(*, cohort: Cohort | None) -> list[Tile]:
    if cohort is None:
        return []
    slug = cohort.slug
    live = cohort.applications_open_at <= timezone.now() <= cohort.applications_close_at
    applied = sel.breakdown(stat="applied", cohort=slug).count
    seated = sel.breakdown(stat="seated", cohort=slug).count
    targets = {
        label("gender", Gender.WOMAN): float(cohort.target_women_share),
        label("career", "early"): float(cohort.target_early_career_share),
    }
    title = _("Applications and seats so far")
    tiles = [
        Tile(
            "totals",
            title,
            None,
            [str(_("Applications")), str(_("Seated")), str(_("Seats"))],
            [[cell(applied), cell(seated), cohort.seats]],
            live=live,
        )
    ]
    for stat, total, heading in (
        ("applied", applied, _("Applicants")),
        ("seated", seated, _("Seated")),
    ):
        for dim in ("gender", "career"):
            title = _("%(who)s by %(dim)s") % {
                "who": heading,
                "dim": dim_label(dim),
            }
            tile = breakdown_tile(
                f"{stat}-{dim}",
                title,
                stat,
                dim,
                slug,
                share_of=total or None,
                targets=targets,
            )
            tile.live = live and stat == "applied"
            tile.method = _(
                "Shares of everyone in the row's group; the red mark is the cohort's target."
            )
            tiles.append(tile)
    for dim, limit in (("province", 10), ("district", 15)):
        title = _("Applicants by %(dim)s") % {"dim": dim_label(dim)}
        tile = breakdown_tile(
            f"applied-{dim}", title, "applied", dim, slug, limit=limit, share_of=applied or None
        )
        tile.live = live
        tiles.append(tile)
    days = sel.series(stat="applied", cohort=slug)
    title = _("Applications per day")
    tiles.append(
        Tile(
            "applied-daily",
            title,
            charts.columns(title, [(d.isoformat(), n) for d, n in days]),
            [str(_("Day")), str(_("Applications"))],
            [[d.isoformat(), cell(n)] for d, n in days],
            live=live,
        )
    )
    return tiles


# --- attendance -----------------------------------------------------------------------------


def attendance(*, cohort: Cohort | None) -> list[Tile]:
    if cohort is None:
        return []
    sessions = sel.cohort_sessions(cohort=cohort)
    present = sel.items(stat="present")
    excused = sel.items(stat="excused")
    rows = []
    for s in sessions:
        key = ("", str(s.pk))
        when = timezone.localtime(s.starts_at).strftime("%d %b %H:%M %Z")  # the reader's zone
        rows.append([f"{when} · {s.title}", cell(present.get(key, 0)), cell(excused.get(key, 0))])
    title = _("Present at each session")
    return [
        Tile(
            "sessions",
            title,
            charts.bars(title, [(r[0], None if r[1] == "<10" else r[1]) for r in rows]),
            [str(_("Session")), str(_("Present")), str(_("Excused (outage)"))],
            rows,
            _(
                "Present means at least the cohort's share of the session in the meeting "
                "report; excused means an outage reported and the recording check passed."
            ),
        )
    ]
