"""The dashboards, each a list of tiles built from protected rollups only.  A tile is a chart,
the table behind it and how it was computed; a page and its CSV and PNG exports are built by
the same function, so an export can never show more than the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries

from rabta.accounts.reference import Discipline, Gender, Province, Sector, districts_by_code
from rabta.core.privacy import threshold
from rabta.engine.pathways import pathways
from rabta.engine.taxonomy import taxonomy
from rabta.insights import charts
from rabta.insights import selectors as sel
from rabta.insights.stats import BY_NAME, DAY_BUCKETS, FUNNEL, HOUR_BUCKETS
from rabta.programme.models import Cohort, LiveSession

ALL = sel.ALL
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


def label(dim: str, value: str) -> str:
    if value == "":
        return str(_("Not stated"))
    if dim == "district":
        province, _slash, code = value.partition("/")
        found = districts_by_code().get(code)
        name = (found.name_ur if get_language() == "ur" else found.name) if found else code
        return f"{name or _('Not stated')} ({label('province', province)})"
    choices: dict[str, Any] = {
        "province": dict(Province.choices),
        "gender": dict(Gender.choices),
        "discipline": dict(Discipline.choices),
        "sector": dict(Sector.choices),
        "career": {"early": _("Early career"), "experienced": _("Experienced")},
    }.get(dim, {})
    if dim == "pathway":
        return _pathway_titles().get(value, value)
    if dim == "country":
        return str(countries.name(value) or value)
    return str(choices.get(value, value))


def _pathway_titles() -> dict[str, str]:
    return {p.slug: p.title for p in pathways()}


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


def _cell(value: Any) -> Any:
    return "<10" if value is None else value


def _breakdown_tile(
    slug: str, title: str, stat: str, dim: str, cohort: str, *, limit: int = 15, **chart: Any
) -> Tile:
    view = sel.breakdown(stat=stat, dim=dim, cohort=cohort)
    unit = BY_NAME[stat].unit
    rows = view.rows[:limit]
    chart_rows = [(label(dim, v), t if unit == "usd" else n) for v, n, t in rows]
    headers = [str(DIMENSION_LABELS[dim]), str(_("Count"))]
    table = [[label(dim, v), _cell(n)] for v, n, _t in rows]
    if unit:
        headers.append(str(_("US dollars")) if unit == "usd" else str(_("Hours")))
        for row, (_v, _n, t) in zip(table, rows, strict=True):
            row.append(_cell(t))
    if len(view.rows) > limit:
        table.append([_("%(n)d more") % {"n": len(view.rows) - limit}, "", *([""] if unit else [])])
    return Tile(
        slug,
        title,
        charts.bars(title, chart_rows, unit=unit if unit == "usd" else "", **chart),
        headers,
        table,
    )


# --- the programme funnel -------------------------------------------------------------------


def programme(*, cohort: str = ALL, dim: str = "", stage: str = "applied") -> list[Tile]:
    rows = []
    for name in FUNNEL:
        view = sel.breakdown(stat=name, cohort=cohort)
        rows.append((str(BY_NAME[name].label), view.count))
    method = _(
        "Each stage counts people once, at the first time they reached it (a second assessment "
        "or a re-published portfolio is not counted again). Registration, profile, PEC and "
        "assessment stages come before a cohort, so under a cohort they are empty. Counts "
        "from 1 to %(t)d are hidden, with as many others as it takes to keep them hidden."
    ) % {"t": threshold() - 1}
    title = _("From registration to first engagement")
    tiles = [
        Tile(
            "funnel",
            title,
            charts.bars(title, rows),
            [str(_("Stage")), str(_("People"))],
            [[r[0], _cell(r[1])] for r in rows],
            method,
        )
    ]
    if dim:
        if stage not in FUNNEL or dim not in BY_NAME[stage].dims:
            stage = "applied"
        title = _("%(stage)s by %(dim)s") % {
            "stage": BY_NAME[stage].label,
            "dim": str(DIMENSION_LABELS[dim]).lower(),
        }
        tile = _breakdown_tile("by-dimension", title, stage, dim, cohort)
        values = [v for v, _n, _t in sel.breakdown(stat=stage, dim=dim, cohort=cohort).rows][:8]
        grid = []
        for name in FUNNEL:
            if dim not in BY_NAME[name].dims:
                continue
            cells = {v: n for v, n, _t in sel.breakdown(stat=name, dim=dim, cohort=cohort).rows}
            grid.append([str(BY_NAME[name].label), *(_cell(cells.get(v, 0)) for v in values)])
        tiles.append(tile)
        tiles.append(
            Tile(
                "stages-by-dimension",
                _("Every stage by %(dim)s") % {"dim": str(DIMENSION_LABELS[dim]).lower()},
                None,
                [str(_("Stage")), *(label(dim, v) for v in values)],
                grid,
            )
        )
    return tiles


# --- inclusion ------------------------------------------------------------------------------


def cohort_current() -> Cohort | None:
    now = timezone.now()
    open_now = Cohort.objects.filter(
        applications_open_at__lte=now, applications_close_at__gte=now
    ).order_by("-applications_open_at")
    return open_now.first() or Cohort.objects.order_by("-starts_on").first()


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
            [[_cell(applied), _cell(seated), cohort.seats]],
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
                "dim": str(DIMENSION_LABELS[dim]).lower(),
            }
            tile = _breakdown_tile(
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
        title = _("Applicants by %(dim)s") % {"dim": str(DIMENSION_LABELS[dim]).lower()}
        tile = _breakdown_tile(
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
            [[d.isoformat(), _cell(n)] for d, n in days],
            live=live,
        )
    )
    return tiles


# --- attendance -----------------------------------------------------------------------------


def attendance(*, cohort: Cohort | None) -> list[Tile]:
    if cohort is None:
        return []
    sessions = list(LiveSession.objects.filter(cohort=cohort).order_by("starts_at"))
    present = sel.items(stat="present")
    excused = sel.items(stat="excused")
    rows = []
    for s in sessions:
        key = ("", str(s.pk))
        when = timezone.localtime(s.starts_at).strftime("%d %b %H:%M")
        rows.append([f"{when} · {s.title}", _cell(present.get(key, 0)), _cell(excused.get(key, 0))])
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


# --- skill gaps -----------------------------------------------------------------------------


def skills() -> list[Tile]:
    gaps = sel.items(stat="skill_gap", dim="pathway")
    t = taxonomy()

    def skill_label(skill_id: str) -> str:
        try:
            return t.skill(skill_id).label
        except KeyError:
            return skill_id

    totals = sorted(
        ((n, item) for (v, item), n in gaps.items() if v == ALL),
        key=lambda r: (r[0] is None, -(r[0] or 0), r[1]),
    )
    top_items = [item for _n, item in totals[:12]]
    per_pathway: dict[str, int] = {}
    for (v, _item), n in gaps.items():
        if v != ALL:
            per_pathway[v] = per_pathway.get(v, 0) + (n or 0)
    cols = sorted(per_pathway, key=lambda v: -per_pathway[v])[:8]
    labels = {i: skill_label(i) for i in top_items}
    title = _("Missing essential skills by pathway")
    heat = charts.heatmap(
        title,
        [labels[i] for i in top_items],
        [label("pathway", c) for c in cols],
        {(labels[i], label("pathway", c)): gaps.get((c, i), 0) for i in top_items for c in cols},
    )
    method = _(
        "For each completed assessment, up to five essential skills of the best-fitting "
        "pathway that the person does not yet have (ESCO). Counted per assessment."
    )
    tiles = [
        Tile(
            "top-gaps",
            _("The skill gaps that matter most"),
            charts.bars(
                _("The skill gaps that matter most"), [(labels[i], n) for n, i in totals[:12]]
            ),
            [str(_("Skill")), str(_("Assessments missing it"))],
            [[labels[i], _cell(n)] for n, i in totals[:12]],
            method,
        ),
        Tile(
            "heatmap",
            title,
            heat,
            [str(_("Skill")), *(label("pathway", c) for c in cols)],
            [[labels[i], *(_cell(gaps.get((c, i), 0)) for c in cols)] for i in top_items],
            method,
        ),
    ]
    readiness = sel.items(stat="readiness_gap", dim="gender")
    parts = sorted(
        ((n, item) for (v, item), n in readiness.items() if v == ALL),
        key=lambda r: (r[0] is None, -(r[0] or 0), r[1]),
    )
    genders = sorted({v for v, _i in readiness if v != ALL})
    title = _("Digital-readiness gaps")
    tiles.append(
        Tile(
            "readiness",
            title,
            charts.bars(title, [(str(READINESS_LABELS.get(i, i)), n) for n, i in parts]),
            [str(_("Gap")), str(_("All")), *(label("gender", g) for g in genders)],
            [
                [
                    str(READINESS_LABELS.get(i, i)),
                    _cell(n),
                    *(_cell(readiness.get((g, i), 0)) for g in genders),
                ]
                for n, i in parts
            ],
            _(
                "Parts of digital readiness scored below 70%: English, a payment account that "
                "can receive from abroad, connectivity, power backup, tools, profiles, hours."
            ),
        )
    )
    return tiles


# --- promising service categories ---------------------------------------------------------


def categories() -> list[Tile]:
    from rabta.profiling.services import demand_current

    demand = demand_current()
    supply = {v: n for v, n, _t in sel.breakdown(stat="assessed", dim="pathway").rows}
    engaged = {v: n for v, n, _t in sel.breakdown(stat="engaged", dim="pathway").rows}
    all_supply = sel.breakdown(stat="assessed").count or 0
    demand_total = sum(demand.values()) or 1.0
    rows = []
    for slug, d in demand.items():
        s = supply.get(slug, 0)
        d_share = d / demand_total
        s_share = (s / all_supply) if (s is not None and all_supply) else None
        index = None
        if s is not None and all_supply:
            # +1 keeps a pathway nobody fits yet from dividing by zero; it is the best signal
            index = round(d_share / ((s + 1) / (all_supply + 1)), 2)
        rows.append((slug, d_share, s, s_share, index, engaged.get(slug, 0)))
    rows.sort(key=lambda r: (r[4] is None, -(r[4] or 0), r[0]))
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
                    _cell(r[2]),
                    "<10" if r[3] is None else f"{100 * r[3]:.1f}%",
                    "—" if r[4] is None else r[4],
                    _cell(r[5]),
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
        title = _("First engagements by %(dim)s") % {"dim": str(DIMENSION_LABELS[dim]).lower()}
        tiles.append(_breakdown_tile(f"engaged-{dim}", title, "engaged", dim, cohort, limit=12))
    for dim in ("pathway", "gender", "province"):
        title = _("Earnings reported (USD) by %(dim)s") % {
            "dim": str(DIMENSION_LABELS[dim]).lower()
        }
        tile = _breakdown_tile(f"earnings-{dim}", title, "earnings", dim, cohort, limit=12)
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
            [[b, _cell(n)] for b, n in rows],
        )
    )
    return tiles


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
            [[label("country", v), _cell(n)] for v, n, _t in people.rows],
        )
    ]
    for stat in ("asks", "matches", "mentorships_done", "engagements"):
        title = _("%(stat)s by sector") % {"stat": BY_NAME[stat].label}
        tiles.append(_breakdown_tile(f"{stat}-sector", title, stat, "sector", ALL))
    bands = sel.items(stat="matches")
    rows = [(band, bands.get(("", band), 0)) for band in HOUR_BUCKETS]
    title = _("Hours a contributor took to accept")
    tiles.append(
        Tile(
            "response",
            title,
            charts.bars(title, rows),
            [str(_("Hours")), str(_("Matches"))],
            [[b, _cell(n)] for b, n in rows],
        )
    )
    return tiles


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
        return inclusion(cohort=cohort_obj or cohort_current())
    if page == "attendance":
        return attendance(cohort=cohort_obj or cohort_current())
    if page == "skills":
        return skills()
    if page == "categories":
        return categories()
    if page == "outcomes":
        return outcomes(cohort=cohort)
    if page == "brain-gain":
        return brain_gain()
    raise KeyError(page)
