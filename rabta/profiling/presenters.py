"""Turn the engine's structured results into sentences people read, in English or Urdu."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from rabta.engine.pathways import pathway as pathway_get
from rabta.engine.plans import Phase, PlanStep, learning_plan
from rabta.profiling.models import ProfileResult


def readiness_action(name: str) -> str:
    actions = {
        "payment": _(
            "Open an account that can receive payments from clients abroad, and test it with a "
            "small transfer."
        ),
        "english_written": _(
            "Practise written English: rewrite one project description a week and ask a mentor "
            "to review it."
        ),
        "english_spoken": _(
            "Practise spoken English: record a two-minute explanation of a project and listen back."
        ),
        "collaboration": _(
            "Get comfortable with video calls and shared documents (Zoom, Google Meet, "
            "Google Workspace)."
        ),
        "profiles": _("Create a LinkedIn profile and one profile on a freelance platform."),
        "internet": _("Arrange a backup connection, such as mobile data on a second network."),
        "power": _("Arrange backup power for your router and laptop, such as a UPS."),
        "hours": _("Set aside at least 15 hours a week for freelance work."),
    }
    return actions.get(name, name)


def step_text(step: PlanStep) -> str:
    if step.kind == "learn":
        if step.detail == "essential":
            return _("Learn %(skill)s (an essential skill of this pathway).") % {
                "skill": step.subject
            }
        return _("Learn %(skill)s.") % {"skill": step.subject}
    if step.kind == "readiness":
        return readiness_action(step.subject)
    if step.kind == "portfolio":
        return _("Build a portfolio piece: %(deliverable)s.") % {"deliverable": step.subject}
    if step.kind == "profile":
        return _("Write your profile headline and overview for %(pathway)s.") % {
            "pathway": step.subject
        }
    if step.kind == "list":
        return _("List your services on %(platform)s under %(category)s.") % {
            "platform": step.subject,
            "category": step.detail,
        }
    if step.kind == "propose":
        return _("Send %(n)s proposals, each offering a small, funded first milestone.") % {
            "n": step.subject
        }
    if step.kind == "stamp":
        return _(
            "Clients abroad need a locally licensed engineer's stamp for this work: %(how)s"
        ) % {"how": step.subject}
    return step.subject


def plan_for(
    slug: str, stored: dict[str, Any], readiness_gaps: list[str]
) -> list[tuple[int, list[str]]]:
    phases: tuple[Phase, ...] = learning_plan(
        pathway_get(slug),
        [(g["label"], g["essential"]) for g in stored.get("gaps", [])],
        readiness_gaps,
    )
    return [(phase.days, [step_text(step) for step in phase.steps]) for phase in phases]


def confidence_text(level: str) -> str:
    return {"high": _("High"), "medium": _("Medium"), "low": _("Low")}.get(level, level)


def _skill_reasons(stored: dict[str, Any]) -> list[str]:
    said: list[str] = []
    essential = [s for s in stored["support"] if s["essential"]]
    if essential:
        said.append(
            _("You have %(n)d of its essential skills: %(skills)s.")
            % {"n": len(essential), "skills": ", ".join(s["label"] for s in essential[:5])}
        )
    related = [s for s in stored["support"] if s["via"] and s["via"] != s["id"]]
    for s in related[:2]:
        said.append(
            _("Your skill %(yours)s counts towards %(theirs)s.")
            % {"yours": s["via_label"], "theirs": s["label"]}
        )
    if stored["tools"]:
        said.append(_("You use its tools: %(tools)s.") % {"tools": ", ".join(stored["tools"])})
    return said


def _part_reasons(parts: dict[str, Any]) -> list[str]:
    said: list[str] = []
    if parts.get("interests", 0.5) >= 0.7:
        said.append(_("It matches the kind of work you said you enjoy."))
    elif parts.get("interests", 0.5) <= 0.3:
        said.append(_("It is not the kind of work you said you enjoy."))
    if parts.get("demand", 0) >= 0.6:
        said.append(_("Clients abroad buy a lot of this work."))
    elif parts.get("demand", 0) < 0.2:
        said.append(_("It is a smaller market, with fewer competitors."))
    if parts.get("discipline"):
        said.append(_("It is open to engineers of your discipline."))
    return said


def reasons(stored: dict[str, Any]) -> list[str]:
    """Why a pathway ranks where it does, strongest reasons first."""
    return [*_skill_reasons(stored), *_part_reasons(stored["parts"])]


def _row(stored: dict[str, Any], before: dict[str, float]) -> dict[str, Any]:
    """One ranked pathway as the results page shows it, with its change since last time."""
    slug = stored["slug"]
    return {
        "stored": stored,
        "pathway": pathway_get(slug),
        "fit_percent": round(stored["fit"] * 100),
        "change": round((stored["fit"] - before[slug]) * 100) if slug in before else None,
        "reasons": reasons(stored),
        "confidence": confidence_text(stored["confidence_level"]),
    }


def _chosen(result: ProfileResult) -> tuple[str, dict[str, Any] | None]:
    """The pathway the plan is for: the one chosen, or else the best-fitting one."""
    first = result.pathways[0]["slug"] if result.pathways else ""
    slug = result.chosen_pathway or first
    return slug, next((p for p in result.pathways if p["slug"] == slug), None)


def results_context(
    result: ProfileResult, previous: ProfileResult | None, *, show: int = 5
) -> dict[str, Any]:
    """The results page: the first ``show`` pathways explained, the chosen one's plan, the
    digital-readiness actions and the progress since ``previous``."""
    before = {p["slug"]: p["fit"] for p in previous.pathways} if previous else {}
    chosen_slug, chosen = _chosen(result)
    return {
        "result": result,
        "assessment": result.assessment,
        "rows": [_row(stored, before) for stored in result.pathways[:show]],
        "previous": previous,
        "chosen": chosen,
        "chosen_pathway": pathway_get(chosen_slug) if chosen else None,
        "plan": plan_for(chosen_slug, chosen, result.readiness_gaps) if chosen else [],
        "readiness_percent": round(result.readiness * 100),
        "readiness_actions": [readiness_action(g) for g in result.readiness_gaps],
        "others": result.pathways[show:],
    }
