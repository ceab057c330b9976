"""Standard contracts for a first engagement: fixed price with milestones, hourly, and a
non-disclosure agreement, filled in with both parties' details and exported to PDF.

The wording is our own plain-English template.  It is written in English because it is signed
with clients abroad, and it says on its face that it is a template, not legal advice.  Where work
happens on a platform, the platform's own terms govern payment and disputes, and the contract
says so rather than competing with them.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from rabta.portfolio.models import Contract, ContractKind
from rabta.portfolio.pdf import document_build, para

TITLES = {
    ContractKind.FIXED: "Fixed-price services agreement",
    ContractKind.HOURLY: "Hourly services agreement",
    ContractKind.NDA: "Mutual non-disclosure agreement",
}


def money(amount: Decimal | float | int | str | None) -> str:
    if amount in (None, ""):
        return ""
    value = Decimal(str(amount))
    return f"{value:,.0f}" if value == value.to_integral() else f"{value:,.2f}"


def milestones_total(contract: Contract) -> Decimal:
    return sum((Decimal(str(m["amount"])) for m in contract.milestones), Decimal(0))


def _parties(contract: Contract) -> list[tuple[str, str]]:
    return [
        ("Client", f"{contract.client_name}, {contract.client_country}"),
        ("Engineer", f"{contract.engineer_name}, {contract.engineer_city}, Pakistan"),
        ("Start date", formats.date_format(contract.start_on, "j F Y", use_l10n=False)),
    ]


def clauses(contract: Contract) -> list[tuple[str, str]]:
    """The agreement as (heading, text) pairs, in order.  Pure text: the page and the PDF
    render the same clauses."""
    platform = contract.platform.strip()
    payment_route = (
        f"Payments are made through {platform}, and {platform}'s terms govern payment protection and disputes."
        if platform
        else "Payments are made by bank transfer to the Engineer's account in Pakistan within 7 days of each invoice."
    )
    law = contract.governing_law.strip() or "the laws agreed in writing by both parties"
    confidentiality = (
        "Each party keeps the other's confidential information secret, uses it only for this "
        "work, and returns or destroys it when the work ends. This does not cover information "
        "that is public, already known to the receiving party, or required by law to be disclosed."
    )
    if contract.kind == ContractKind.NDA:
        return [
            (
                "Purpose",
                f"The parties will share confidential information to discuss and carry out: {contract.scope}",
            ),
            (
                "Confidential information",
                "Drawings, models, calculations, specifications, prices, client lists and any information marked or reasonably understood as confidential.",
            ),
            ("Obligations", confidentiality),
            (
                "Portfolio use",
                "The Engineer may describe the work in a portfolio only without the Client's name, drawings or data, unless the Client agrees in writing.",
            ),
            ("Term", "These obligations last for three years from the start date."),
            ("Governing law", f"This agreement is governed by {law}."),
        ]
    common_end = [
        (
            "Intellectual property",
            "The Client owns the final deliverables once they are paid for in full. The Engineer keeps their general know-how, templates and tools.",
        ),
        ("Confidentiality", confidentiality),
        (
            "Professional responsibility",
            "Where the work must be sealed by a licensed engineer in the project's jurisdiction, the Client's engineer of record reviews and seals it; the Engineer does not seal work outside Pakistan.",
        ),
        (
            "Ending the agreement",
            "Either party may end this agreement with 7 days' written notice. Work accepted or hours worked up to that date are paid.",
        ),
        ("Governing law", f"This agreement is governed by {law}."),
    ]
    if contract.kind == ContractKind.HOURLY:
        cap = (
            f" and no more than {contract.weekly_hours_cap} hours a week without the Client's written approval"
            if contract.weekly_hours_cap
            else ""
        )
        return [
            ("Scope of work", contract.scope),
            (
                "Rate",
                f"USD {money(contract.hourly_rate)} an hour{cap}. Time is logged daily with a short description of the work done.",
            ),
            ("Payment", f"Hours are invoiced weekly. {payment_route}"),
            *common_end,
        ]
    total = money(milestones_total(contract))
    return [
        ("Scope of work", contract.scope),
        (
            "Price and milestones",
            f"The total price is USD {total}, paid by milestone as listed below. Each milestone is funded before work on it starts.",
        ),
        (
            "Acceptance",
            "The Client reviews each delivery within 5 days and either accepts it or lists what does not meet the scope. Each milestone includes up to two rounds of such revisions.",
        ),
        ("Payment", payment_route),
        (
            "Changes",
            "Work outside the scope is agreed in writing as a new milestone before it starts.",
        ),
        *common_end,
    ]


def contract_pdf(contract: Contract) -> bytes:
    flow: list[Flowable] = [
        para(TITLES[ContractKind(contract.kind)], "title"),
        para(
            "A standard template prepared with Rabta. It is not legal advice: read it in full, and have it reviewed where the amounts are significant.",
            "small",
        ),
        Spacer(1, 6),
    ]
    for label, value in _parties(contract):
        flow.append(para(value, markup=f"<b>{label}:</b> "))
    for number, (heading, body) in enumerate(clauses(contract), start=1):
        flow += [para(f"{number}. {heading}", "h2"), para(body)]
    if contract.kind == ContractKind.FIXED and contract.milestones:
        rows = [[para("Milestone", markup=""), para("Due"), para("USD")]]
        rows += [
            [para(m["title"]), para(m.get("due", "")), para(money(m["amount"]))]
            for m in contract.milestones
        ]
        table = Table(rows, colWidths=[300, 90, 70])
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, "#333333"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        flow += [Spacer(1, 6), table]
    flow += [
        Spacer(1, 24),
        para("Signed for the Client: ____________________   Date: __________"),
        Spacer(1, 14),
        para("Signed by the Engineer: ____________________   Date: __________"),
    ]
    return document_build(flow, title=TITLES[ContractKind(contract.kind)])
