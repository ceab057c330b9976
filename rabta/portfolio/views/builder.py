"""The portfolio builder, its files, the public page and the exports.  Every page works without
JavaScript; every POST names an action that calls one service (``rabta.core.actions``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rabta.accounts.models import User
from rabta.core.actions import Actions, dispatch
from rabta.core.errors import NotFound
from rabta.core.http import posted, request_user
from rabta.engine.pathways import pathways
from rabta.portfolio import exports, presenters, selectors, services
from rabta.portfolio.forms import AttachmentForm, ItemForm, PortfolioForm
from rabta.portfolio.models import PortfolioItem, Visibility
from rabta.portfolio.views.common import own_portfolio, owner, pathway_from
from rabta.profiling import selectors as profiling


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    user = owner(request)
    portfolio = own_portfolio(request)
    form = PortfolioForm(posted(request), instance=portfolio)
    if request.method == "POST":
        actions: Actions = {
            "save": (
                form,
                lambda: services.portfolio_update(user=user, **form.cleaned_data),
                _("Saved."),
            )
        }
        if dispatch(request, "save", actions, drafts={"save": "portfolio"}):  # one form
            return redirect("portfolio:home")
        # the form changed the portfolio in memory only
        portfolio = selectors.portfolio_of(user=user) or portfolio
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


def _item_form(request: HttpRequest, user: User, item: PortfolioItem | None) -> ItemForm:
    result = profiling.latest_result(user=user)
    initial = {"pathway": result.chosen_pathway} if item is None and result else {}
    return ItemForm(
        posted(request) if request.POST.get("action") == "save" else None,
        instance=item,
        initial=initial,
        skill_choices=selectors.item_skill_choices(
            user=user, item_skills=list(item.skills) if item else []
        ),
    )


def _item_post(
    request: HttpRequest,
    user: User,
    item: PortfolioItem | None,
    form: ItemForm,
    upload: AttachmentForm,
) -> HttpResponse | None:
    """Run the posted action of the item page: where to go next, or None to show the errors."""
    went: list[HttpResponse] = []

    def save() -> None:
        fields = {name: form.cleaned_data[name] for name in services.ITEM_FIELDS}
        saved = services.item_save(user=user, item_id=item.pk if item else None, **fields)
        went.append(redirect("portfolio:item_edit", item_id=saved.pk))

    actions: Actions = {
        "save": (form, save, _("Case study saved. Add a drawing, render, photo or PDF."))
    }
    if item is not None:  # a saved item's files, and the item itself

        def add_file() -> None:
            uploaded = upload.cleaned_data["file"]
            services.attachment_add(
                user=user,
                item_id=item.pk,
                name=uploaded.name,
                data=uploaded.read(),
                label=upload.cleaned_data["label"],
                cleared=upload.cleaned_data["cleared"],
            )

        def delete() -> None:
            services.item_delete(user=user, item_id=item.pk)
            went.append(redirect("portfolio:home"))

        token = request.POST.get("token", "")
        actions |= {
            "upload": (upload, add_file, _("File added.")),
            "delete_file": (
                None,
                lambda: services.attachment_delete(user=user, token=token),
                _("File removed."),
            ),
            "delete": (None, delete, _("Case study deleted.")),
        }
    if not dispatch(request, request.POST.get("action", ""), actions, drafts={"save": "item"}):
        return None
    if went:
        return went[0]
    return (
        redirect("portfolio:item_edit", item_id=item.pk) if item else redirect("portfolio:item_new")
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    user = owner(request)
    item = selectors.item_get_for_owner(user=user, item_id=item_id) if item_id else None
    form = _item_form(request, user, item)
    uploading = request.POST.get("action") == "upload"
    upload = AttachmentForm(
        posted(request) if uploading else None, request.FILES if uploading else None
    )
    if request.method == "POST":
        went = _item_post(request, user, item, form, upload)
        if went is not None:
            return went
    context = {
        "item": item,
        "form": form,
        "upload": upload,
        "attachments": selectors.attachments_of(item=item) if item else [],
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
def attachment_file(request: HttpRequest, token: str, variant: str = "") -> HttpResponseBase:
    user = request_user(request) if request.user.is_authenticated else None
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
    resume = exports.json_resume(own_portfolio(request))
    response = JsonResponse(resume, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="resume.json"'
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exports.resume_pdf(own_portfolio(request)), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="portfolio.pdf"'
    return response


@login_required
@require_GET
def platform_text(request: HttpRequest) -> HttpResponse:
    portfolio = own_portfolio(request)
    chosen = pathway_from(request) or exports.chosen_pathway(portfolio)
    text = exports.listing_text(portfolio, chosen) if chosen else None
    context = {"text": text, "chosen": chosen, "pathways": pathways(), "portfolio": portfolio}
    return render(request, "portfolio/platform_text.html", context)
