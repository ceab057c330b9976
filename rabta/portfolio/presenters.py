"""Words for the engine's codes: the credibility checklist, the scam checker and the proposal
checks, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rabta.engine import proposals, scams
from rabta.engine.credibility import Check, Credibility

CREDIBILITY_TITLES = {
    "headline": gettext_lazy("A clear headline"),
    "overview": gettext_lazy("An overview clients can read in a minute"),
    "case_studies": gettext_lazy("Complete case studies"),
    "quantified": gettext_lazy("Outcomes with numbers"),
    "evidence": gettext_lazy("Evidence attached"),
    "pathway_skills": gettext_lazy("Skills that match your chosen pathway"),
    "no_contact_details": gettext_lazy("No contact details"),
    "visible": gettext_lazy("Something to show"),
}


@dataclass(frozen=True)
class CheckRow:
    code: str
    title: str
    points: float
    max_points: int
    met: bool
    explanation: str


def _headline(check: Check) -> str:
    if check.met:
        return _("Your headline reads well.")
    return _(
        "Write 20 to 120 characters on what you deliver and for whom; a bare job title "
        "is not searchable."
    )


def _overview(check: Check) -> str:
    if check.met:
        return _("Your overview is long enough to convince.")
    return _(
        "Write at least %(want)d characters (you have %(have)d): what you deliver, "
        "proof, tools and how you work."
    ) % {"want": check.detail["want"], "have": check.detail["length"]}


def _case_studies(check: Check) -> str:
    return (
        _(
            "%(have)d of %(want)d shown case studies have every part: problem, role, tools, "
            "delivered and outcome."
        )
        % check.detail
    )


def _quantified(check: Check) -> str:
    return (
        _(
            "%(have)d of %(want)d shown case studies state a measurable outcome, such as "
            "days saved or drawings delivered."
        )
        % check.detail
    )


def _evidence(check: Check) -> str:
    return (
        _(
            "%(have)d of %(want)d shown case studies have a drawing, render, photo or PDF a "
            "visitor can open."
        )
        % check.detail
    )


def _pathway_skills(check: Check) -> str:
    if check.detail.get("no_pathway"):
        return _("Choose a pathway on your results page, then tag your items with its skills.")
    return (
        _("Your shown items are tagged with %(have)d of the %(want)d pathway skills we look for.")
        % check.detail
    )


def _no_contact_details(check: Check) -> str:
    if check.met:
        return _("No email, phone, messenger or outside link found: platforms forbid them.")
    return (
        _(
            "Remove %(found)d email addresses, phone numbers, messenger names or links: "
            "platforms reject profiles that show them."
        )
        % check.detail
    )


def _something_shown(check: Check) -> str:
    if check.met:
        return _("At least one item is public or redacted.")
    return _("Make at least one item public or redacted: private items are not shown to anyone.")


_EXPLAIN: dict[str, Callable[[Check], str]] = {
    "headline": _headline,
    "overview": _overview,
    "case_studies": _case_studies,
    "quantified": _quantified,
    "evidence": _evidence,
    "pathway_skills": _pathway_skills,
    "no_contact_details": _no_contact_details,
}


def _explain(check: Check) -> str:
    """What a credibility check found, and what to do about it when it is not met."""
    return _EXPLAIN.get(check.code, _something_shown)(check)


def credibility_rows(result: Credibility) -> list[CheckRow]:
    return [
        CheckRow(
            code=check.code,
            title=str(CREDIBILITY_TITLES[check.code]),
            points=check.points,
            max_points=check.max_points,
            met=check.met,
            explanation=_explain(check),
        )
        for check in result.checks
    ]


@dataclass(frozen=True)
class FlagRow:
    severity: str
    title: str
    advice: str
    evidence: str


def scam_rows(report: scams.ScamReport) -> tuple[str, list[FlagRow]]:
    rows = [
        FlagRow(
            flag.severity,
            _(scams.FLAG_TITLES[flag.code]),
            _(scams.FLAG_ADVICE[flag.code]),
            flag.evidence,
        )
        for flag in report.flags
    ]
    return _(scams.VERDICT_TEXT[report.verdict]), rows


@dataclass(frozen=True)
class ProposalCheckRow:
    ok: bool
    critical: bool
    title: str
    advice: str


def proposal_rows(checks: tuple[proposals.ProposalCheck, ...]) -> list[ProposalCheckRow]:
    return [
        ProposalCheckRow(
            ok=check.ok,
            critical=check.critical,
            title=_(proposals.CHECK_TITLES[check.code]),
            advice="" if check.ok else _(proposals.CHECK_ADVICE[check.code]),
        )
        for check in checks
    ]
