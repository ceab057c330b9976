"""The first-engagement kit: where the chosen pathway sells, payment facts, the proposal
builder, the scam checker and contract drafts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rabta.core.actions import Actions, dispatch
from rabta.core.http import posted
from rabta.engine.pathways import pathways
from rabta.engine.proposals import ProposalDraft, proposal_checks, proposal_text, proposal_weak
from rabta.engine.scams import scam_check
from rabta.portfolio import contracts, exports, kit, presenters, selectors, services
from rabta.portfolio.forms import ContractForm, ProposalForm, ScamForm
from rabta.portfolio.models import Contract, ContractKind, Portfolio, Proposal, Visibility
from rabta.portfolio.views.common import own_portfolio, owner, pathway_from

DRAFT_TEXTS = ("job_post", "understanding", "approach", "milestone_title", "questions")


@login_required
@require_GET
def kit_page(request: HttpRequest) -> HttpResponse:
    user = owner(request)
    portfolio = own_portfolio(request)
    chosen = pathway_from(request) or exports.chosen_pathway(portfolio)
    today = timezone.localdate()
    context = {
        "chosen": chosen,
        "pathways": pathways(),
        "markets": chosen.where_it_sells if chosen else (),
        "guides": kit.platform_guides([m.platform for m in chosen.where_it_sells])
        if chosen
        else [],
        "facts": [(fact, fact.stale(today)) for fact in kit.PAYMENT_FACTS],
        "proposals": selectors.proposal_list(user=user),
        "contracts": selectors.contract_list(user=user),
    }
    return render(request, "portfolio/kit.html", context)


def _draft(values: dict[str, Any], portfolio: Portfolio) -> ProposalDraft:
    """The engine's view of a proposal, from the form's cleaned data or a saved draft."""
    item = values.get("item")
    linked = item is not None and portfolio.published and item.visibility != Visibility.PRIVATE
    return ProposalDraft(
        **{name: values.get(name) or "" for name in DRAFT_TEXTS},
        milestone_amount=values.get("milestone_amount"),
        milestone_days=values.get("milestone_days"),
        client_budget=values.get("client_budget"),
        portfolio_title=item.title if item else "",
        portfolio_url=exports.public_url(portfolio) if linked else "",
        signature=portfolio.display_name.split(" ")[0] if portfolio.display_name else "",
    )


def _proposal_saved(
    request: HttpRequest, form: ProposalForm, proposal: Proposal | None
) -> HttpResponse | None:
    """Save the draft (the "save" button; "check" only checks): the saved draft's page, or
    None to show the form again."""
    went: list[HttpResponse] = []

    def save() -> None:
        values = form.cleaned_data
        fields = {name: values[name] for name in form.Meta.fields if name != "item"}
        item = values.get("item")
        saved = services.proposal_save(
            user=owner(request),
            proposal_id=proposal.pk if proposal else None,
            item_id=item.pk if item else None,
            **fields,
        )
        went.append(redirect("portfolio:proposal_edit", proposal_id=saved.pk))

    actions: Actions = {"save": (form, save, _("Proposal draft saved."))}
    if dispatch(request, "save", actions, drafts={"save": "proposal"}):
        return went[0]
    return None


def _proposal_values(
    request: HttpRequest, form: ProposalForm, proposal: Proposal | None
) -> dict[str, Any] | None:
    """What the checks read: the form as typed (whether or not the draft then saves), or the
    saved draft when the page opens."""
    if request.method == "POST":
        return form.cleaned_data if form.is_valid() else None
    if proposal is None:
        return None
    return {name: getattr(proposal, name) for name in ProposalForm.Meta.fields}


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, proposal_id: int | None = None) -> HttpResponse:
    user = owner(request)
    portfolio = own_portfolio(request)
    proposal = (
        selectors.proposal_get_for_owner(user=user, proposal_id=proposal_id)
        if proposal_id
        else None
    )
    items = selectors.items_for_owner(portfolio=portfolio)
    form = ProposalForm(posted(request), instance=proposal, items=items)
    values = _proposal_values(request, form, proposal)
    if values is not None and request.POST.get("action") == "save":
        saved = _proposal_saved(request, form, proposal)
        if saved is not None:
            return saved
    context: dict[str, Any] = {"form": form, "proposal": proposal, "rows": None, "text": None}
    if values is not None:
        draft = _draft(values, portfolio)
        checks = proposal_checks(draft)
        context |= {
            "rows": presenters.proposal_rows(checks),
            "text": proposal_text(draft),
            "weak": proposal_weak(checks),
        }
    template = "portfolio/_proposal_checks.html" if request.htmx else "portfolio/proposal.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def scam_checker(request: HttpRequest) -> HttpResponse:
    """A check, not an action: what is posted is read and answered, never stored."""
    form = ScamForm(posted(request))
    context: dict[str, Any] = {"form": form, "verdict": None, "rows": None, "level": ""}
    if request.method == "POST" and form.is_valid():
        report = scam_check(form.cleaned_data["message"])
        verdict, rows = presenters.scam_rows(report)
        context |= {"verdict": verdict, "rows": rows, "level": report.verdict}
    return render(request, "portfolio/scam_check.html", context)


def _contract_initial(request: HttpRequest) -> dict[str, Any]:
    kind = request.GET.get("kind")
    return {
        "kind": kind if kind in ContractKind.values else ContractKind.FIXED,
        "engineer_name": own_portfolio(request).display_name,
        "start_on": timezone.localdate(),
    }


def _contract_post(
    request: HttpRequest, form: ContractForm, contract: Contract | None
) -> HttpResponse | None:
    """Save the contract, or delete a saved one: where to go next, or None to show errors."""
    user = owner(request)
    went: list[HttpResponse] = []

    def save() -> None:
        fields = {name: form.cleaned_data[name] for name in ContractForm.Meta.fields}
        fields["milestones"] = form.cleaned_data["milestones_text"]
        saved = services.contract_save(
            user=user, contract_id=contract.pk if contract else None, **fields
        )
        went.append(redirect("portfolio:contract_edit", contract_id=saved.pk))

    actions: Actions = {
        "save": (form, save, _("Contract saved. Download the PDF to sign.")),
    }
    action = "save"  # the form's button; posting it without a name saves too
    if contract is not None and request.POST.get("action") == "delete":
        action = "delete"
        actions["delete"] = (
            None,
            lambda: services.contract_delete(user=user, contract_id=contract.pk),
            _("Contract deleted."),
        )
        went.append(redirect("portfolio:kit"))
    if dispatch(request, action, actions, drafts={"save": "contract"}):
        return went[0]
    return None


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, contract_id: int | None = None) -> HttpResponse:
    contract = (
        selectors.contract_get_for_owner(user=owner(request), contract_id=contract_id)
        if contract_id
        else None
    )
    initial = _contract_initial(request) if contract is None else {}
    form = ContractForm(posted(request), instance=contract, initial=initial)
    if request.method == "POST":
        went = _contract_post(request, form, contract)
        if went is not None:
            return went
    context = {
        "form": form,
        "contract": contract,
        "clauses": contracts.clauses(contract) if contract else [],
        "title": contracts.TITLES[ContractKind(contract.kind)] if contract else "",
    }
    return render(request, "portfolio/contract.html", context)


@login_required
@require_GET
def contract_pdf(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = selectors.contract_get_for_owner(user=owner(request), contract_id=contract_id)
    response = HttpResponse(contracts.contract_pdf(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contract-{contract.pk}.pdf"'
    return response
