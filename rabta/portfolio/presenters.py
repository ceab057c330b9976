"""Words for the engine's codes: the credibility checklist, the scam checker and the proposal
checks, in the reader's language."""

from __future__ import annotations

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


def _explain(check: Check) -> str:
    d = check.detail
    code = check.code
    if code == "headline":
        return (
            _("Your headline reads well.")
            if check.met
            else _(
                "Write 20 to 120 characters on what you deliver and for whom; a bare job title "
                "is not searchable."
            )
        )
    if code == "overview":
        return (
            _("Your overview is long enough to convince.")
            if check.met
            else _(
                "Write at least %(want)d characters (you have %(have)d): what you deliver, "
                "proof, tools and how you work."
            )
            % {"want": d["want"], "have": d["length"]}
        )
    if code == "case_studies":
        return (
            _(
                "%(have)d of %(want)d shown case studies have every part: problem, role, tools, "
                "delivered and outcome."
            )
            % d
        )
    if code == "quantified":
        return (
            _(
                "%(have)d of %(want)d shown case studies state a measurable outcome, such as "
                "days saved or drawings delivered."
            )
            % d
        )
    if code == "evidence":
        return (
            _(
                "%(have)d of %(want)d shown case studies have a drawing, render, photo or PDF a "
                "visitor can open."
            )
            % d
        )
    if code == "pathway_skills":
        if d.get("no_pathway"):
            return _("Choose a pathway on your results page, then tag your items with its skills.")
        return (
            _(
                "Your shown items are tagged with %(have)d of the %(want)d pathway skills we "
                "look for."
            )
            % d
        )
    if code == "no_contact_details":
        return (
            _("No email, phone, messenger or outside link found: platforms forbid them.")
            if check.met
            else _(
                "Remove %(found)d email addresses, phone numbers, messenger names or links: "
                "platforms reject profiles that show them."
            )
            % d
        )
    return (
        _("At least one item is public or redacted.")
        if check.met
        else _("Make at least one item public or redacted: private items are not shown to anyone.")
    )


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
