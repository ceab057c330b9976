"""Pages for the portfolio builder, the public page, exports, the first-engagement kit and the
outcome log.  Every page works without JavaScript; htmx only re-runs checks as people type."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Count, Sum
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rabta.accounts.models import User
from rabta.core.actions import apply_domain_error
from rabta.core.errors import DomainError, NotFound
from rabta.engine.pathways import pathway as pathway_get
from rabta.engine.pathways import pathways
from rabta.engine.proposals import ProposalDraft, proposal_checks, proposal_text, proposal_weak
from rabta.engine.scams import scam_check
from rabta.engine.taxonomy import taxonomy
from rabta.portfolio import contracts, exports, kit, presenters, selectors, services
from rabta.portfolio.forms import (
    AttachmentForm,
    ContractForm,
    ItemForm,
    OutcomeForm,
    PortfolioForm,
    ProposalForm,
    ScamForm,
)
from rabta.portfolio.models import ContractKind, OutcomeKind, Portfolio, Proposal, Visibility
from rabta.profiling import services as profiling


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _portfolio(request: HttpRequest) -> Portfolio:
    return services.portfolio_ensure(user=_user(request))


# --- builder -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    portfolio = _portfolio(request)
    form = PortfolioForm(request.POST or None, instance=portfolio)
    if request.method == "POST" and form.is_valid():
        try:
            services.portfolio_update(user=_user(request), **form.cleaned_data)
            messages.success(request, _("Saved."), extra_tags="clear-portfolio")
            return redirect("portfolio:home")
        except DomainError as error:
            apply_domain_error(form, error)
    if request.method == "POST":
        portfolio = Portfolio.objects.get(pk=portfolio.pk)  # the form changed it in memory only
    items = list(selectors.items_for_owner(portfolio=portfolio))
    result = exports.credibility(portfolio, items)
    context = {
        "portfolio": portfolio,
        "form": form,
        "items": items,
        "score": result.score,
        "checks": presenters.credibility_rows(result),
        "public_url": exports.public_url(portfolio),
        "chosen": exports.chosen_pathway(portfolio),
    }
    return render(request, "portfolio/home.html", context)


def _skill_choices(user: User, item_skills: list[str]) -> list[tuple[str, str]]:
    """The person's own assessed skills, their chosen pathway's skills, and whatever the item
    already carries, so that editing never drops a tag silently."""
    choices: dict[str, str] = {}
    result = profiling.latest_result(user=user)
    if result is not None:
        for claim in result.assessment.skills.order_by("label"):
            choices[claim.skill_id] = claim.label
        if result.chosen_pathway:
            chosen = pathway_get(result.chosen_pathway)
            for ref in (*chosen.essential_skills, *chosen.optional_skills):
                choices.setdefault(ref.id, ref.label)
    for skill_id in item_skills:
        try:
            choices.setdefault(skill_id, taxonomy().skill(skill_id).label)
        except KeyError:
            continue
    return sorted(choices.items(), key=lambda pair: pair[1].casefold())


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    user = _user(request)
    item = selectors.item_get_for_owner(user=user, item_id=item_id) if item_id else None
    result = profiling.latest_result(user=user)
    initial = {"pathway": result.chosen_pathway} if item is None and result else {}
    form = ItemForm(
        request.POST if request.POST.get("action") == "save" else None,
        instance=item,
        initial=initial,
        skill_choices=_skill_choices(user, list(item.skills) if item else []),
    )
    upload = AttachmentForm(
        request.POST if request.POST.get("action") == "upload" else None,
        request.FILES if request.POST.get("action") == "upload" else None,
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "save" and form.is_valid():
                fields = {name: form.cleaned_data[name] for name in services.ITEM_FIELDS}
                saved = services.item_save(user=user, item_id=item.pk if item else None, **fields)
                messages.success(
                    request,
                    _("Case study saved. Add a drawing, render, photo or PDF."),
                    extra_tags="clear-item",
                )
                return redirect("portfolio:item_edit", item_id=saved.pk)
            if action == "upload" and item is not None and upload.is_valid():
                uploaded = upload.cleaned_data["file"]
                services.attachment_add(
                    user=user,
                    item_id=item.pk,
                    name=uploaded.name,
                    data=uploaded.read(),
                    label=upload.cleaned_data["label"],
                    cleared=upload.cleaned_data["cleared"],
                )
                messages.success(request, _("File added."))
                return redirect("portfolio:item_edit", item_id=item.pk)
            if action == "delete_file" and item is not None:
                services.attachment_delete(user=user, token=request.POST.get("token", ""))
                messages.success(request, _("File removed."))
                return redirect("portfolio:item_edit", item_id=item.pk)
            if action == "delete" and item is not None:
                services.item_delete(user=user, item_id=item.pk)
                messages.success(request, _("Case study deleted."))
                return redirect("portfolio:home")
        except NotFound:
            raise
        except DomainError as error:
            apply_domain_error(upload if action == "upload" else form, error)
    context = {
        "item": item,
        "form": form,
        "upload": upload,
        "attachments": list(item.attachments.all()) if item else [],
    }
    return render(request, "portfolio/item.html", context)


# --- files and the public page -------------------------------------------------------------------


def _file_response(
    name: str, content_type: str, download_name: str, *, inline: bool
) -> FileResponse:
    try:
        opened = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise NotFound() from None
    response = FileResponse(
        opened,
        content_type=content_type,
        as_attachment=not inline,
        filename=download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=600"
    return response


@require_GET
def attachment_file(request: HttpRequest, token: str, variant: str = "") -> HttpResponse:
    user = _user(request) if request.user.is_authenticated else None
    attachment = selectors.attachment_get_for_viewer(user=user, token=token)
    if variant == "thumb":
        if not attachment.thumbnail:
            raise NotFound()
        return _file_response(attachment.thumbnail, "image/jpeg", f"{token}-thumb.jpg", inline=True)
    extension = (
        ".pdf"
        if attachment.kind == "pdf"
        else (".png" if attachment.content_type == "image/png" else ".jpg")
    )
    # PDFs are downloaded, not shown inline: they open in the reader's own viewer, away from
    # this site's origin.
    return _file_response(
        attachment.file,
        attachment.content_type,
        f"{token}{extension}",
        inline=attachment.kind != "pdf",
    )


@require_GET
def public(request: HttpRequest, slug: str) -> HttpResponse:
    portfolio = selectors.portfolio_get_public(slug=slug)
    items = list(selectors.items_public(portfolio=portfolio))
    context = {"portfolio": portfolio, "items": items, "redacted": Visibility.REDACTED}
    response = render(request, "portfolio/public.html", context)
    response["X-Robots-Tag"] = "noindex"  # shared by link; the engineer decides who sees it
    return response


# --- exports -------------------------------------------------------------------------------------


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    resume = exports.json_resume(_portfolio(request))
    response = JsonResponse(resume, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="resume.json"'
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(exports.resume_pdf(_portfolio(request)), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="portfolio.pdf"'
    return response


@login_required
@require_GET
def platform_text(request: HttpRequest) -> HttpResponse:
    portfolio = _portfolio(request)
    chosen = _pathway_from(request) or exports.chosen_pathway(portfolio)
    text = exports.listing_text(portfolio, chosen) if chosen else None
    context = {"text": text, "chosen": chosen, "pathways": pathways(), "portfolio": portfolio}
    return render(request, "portfolio/platform_text.html", context)


def _pathway_from(request: HttpRequest) -> Any:
    slug = request.GET.get("pathway", "")
    if not slug:
        return None
    try:
        return pathway_get(slug)
    except KeyError:
        return None


# --- first-engagement kit -----------------------------------------------------------------------


@login_required
@require_GET
def kit_page(request: HttpRequest) -> HttpResponse:
    portfolio = _portfolio(request)
    chosen = _pathway_from(request) or exports.chosen_pathway(portfolio)
    today = timezone.localdate()
    context = {
        "chosen": chosen,
        "pathways": pathways(),
        "markets": chosen.where_it_sells if chosen else (),
        "guides": kit.platform_guides([m.platform for m in chosen.where_it_sells])
        if chosen
        else [],
        "facts": [(fact, fact.stale(today)) for fact in kit.PAYMENT_FACTS],
        "proposals": Proposal.objects.filter(owner=_user(request))[:10],
        "contracts": selectors.contract_list(user=_user(request)),
    }
    return render(request, "portfolio/kit.html", context)


def _draft(values: dict[str, Any], portfolio: Portfolio) -> ProposalDraft:
    """The engine's view of a proposal, from the form's cleaned data or a saved draft."""
    item = values.get("item")
    return ProposalDraft(
        job_post=values.get("job_post") or "",
        understanding=values.get("understanding") or "",
        approach=values.get("approach") or "",
        milestone_title=values.get("milestone_title") or "",
        milestone_amount=values.get("milestone_amount"),
        milestone_days=values.get("milestone_days"),
        questions=values.get("questions") or "",
        client_budget=values.get("client_budget"),
        portfolio_title=item.title if item else "",
        portfolio_url=exports.public_url(portfolio)
        if item and portfolio.published and item.visibility != Visibility.PRIVATE
        else "",
        signature=portfolio.display_name.split(" ")[0] if portfolio.display_name else "",
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, proposal_id: int | None = None) -> HttpResponse:
    user = _user(request)
    portfolio = _portfolio(request)
    proposal = (
        selectors.proposal_get_for_owner(user=user, proposal_id=proposal_id)
        if proposal_id
        else None
    )
    items = selectors.items_for_owner(portfolio=portfolio)
    form = ProposalForm(request.POST or None, instance=proposal, items=items)
    values: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        if request.POST.get("action") == "save":
            try:
                fields = {name: values[name] for name in form.Meta.fields if name != "item"}
                item = values.get("item")
                saved = services.proposal_save(
                    user=user,
                    proposal_id=proposal.pk if proposal else None,
                    item_id=item.pk if item else None,
                    **fields,
                )
                messages.success(request, _("Proposal draft saved."), extra_tags="clear-proposal")
                return redirect("portfolio:proposal_edit", proposal_id=saved.pk)
            except DomainError as error:
                apply_domain_error(form, error)
    elif request.method == "GET" and proposal is not None:
        values = {name: getattr(proposal, name) for name in ProposalForm.Meta.fields}
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
    form = ScamForm(request.POST or None)
    verdict = rows = None
    if request.method == "POST" and form.is_valid():
        report = scam_check(form.cleaned_data["message"])
        verdict, rows = presenters.scam_rows(report)
        context = {"form": form, "verdict": verdict, "rows": rows, "level": report.verdict}
    else:
        context = {"form": form, "verdict": None, "rows": None, "level": ""}
    return render(request, "portfolio/scam_check.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, contract_id: int | None = None) -> HttpResponse:
    user = _user(request)
    contract = (
        selectors.contract_get_for_owner(user=user, contract_id=contract_id)
        if contract_id
        else None
    )
    initial: dict[str, Any] = {}
    if contract is None:
        initial = {
            "kind": request.GET.get("kind", ContractKind.FIXED)
            if request.GET.get("kind") in ContractKind.values
            else ContractKind.FIXED,
            "engineer_name": _portfolio(request).display_name,
            "start_on": timezone.localdate(),
        }
    form = ContractForm(request.POST or None, instance=contract, initial=initial)
    if request.method == "POST":
        if request.POST.get("action") == "delete" and contract is not None:
            services.contract_delete(user=user, contract_id=contract.pk)
            messages.success(request, _("Contract deleted."))
            return redirect("portfolio:kit")
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in ContractForm.Meta.fields}
            fields["milestones"] = form.cleaned_data["milestones_text"]
            try:
                saved = services.contract_save(
                    user=user, contract_id=contract.pk if contract else None, **fields
                )
                messages.success(
                    request,
                    _("Contract saved. Download the PDF to sign."),
                    extra_tags="clear-contract",
                )
                return redirect("portfolio:contract_edit", contract_id=saved.pk)
            except DomainError as error:
                apply_domain_error(form, error)
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
    contract = selectors.contract_get_for_owner(user=_user(request), contract_id=contract_id)
    response = HttpResponse(contracts.contract_pdf(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contract-{contract.pk}.pdf"'
    return response


# --- outcome log ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def outcomes(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    result = profiling.latest_result(user=user)
    form = OutcomeForm(
        request.POST or None, initial={"pathway": result.chosen_pathway if result else ""}
    )
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            try:
                services.outcome_delete(
                    user=user, entry_id=int(request.POST.get("entry", "0") or 0)
                )
            except ValueError:
                raise NotFound() from None
            messages.success(request, _("Line removed."))
            return redirect("portfolio:outcomes")
        if form.is_valid():
            try:
                entry = services.outcome_log(user=user, **form.cleaned_data)
                if entry.kind == OutcomeKind.CONTRACT:
                    messages.success(
                        request,
                        _("Congratulations, and thank you: it helps the next engineers."),
                        extra_tags="clear-outcome",
                    )
                else:
                    messages.success(request, _("Logged."), extra_tags="clear-outcome")
                return redirect("portfolio:outcomes")
            except DomainError as error:
                apply_domain_error(form, error)
    entries = selectors.outcome_entries(user=user)
    totals = {
        row["kind"]: row
        for row in entries.values("kind").annotate(
            n=Sum("count"), usd=Sum("amount_usd"), lines=Count("pk")
        )
    }
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries.filter(kind=OutcomeKind.EARNING):
        by_month[entry.happened_on.strftime("%Y-%m")] += entry.amount_usd or Decimal(0)
    context = {
        "form": form,
        "entries": entries[:100],
        "proposals_sent": (totals.get(OutcomeKind.PROPOSALS) or {}).get("n") or 0,
        "interviews": (totals.get(OutcomeKind.INTERVIEW) or {}).get("lines") or 0,
        "contracts": (totals.get(OutcomeKind.CONTRACT) or {}).get("lines") or 0,
        "earned": (totals.get(OutcomeKind.EARNING) or {}).get("usd") or Decimal(0),
        "by_month": sorted(by_month.items()),
    }
    return render(request, "portfolio/outcomes.html", context)
