"""Panel calls: the list (where staff open calls), a call (applying, withdrawing, closing,
selecting the panel), the panel's workspace and its documents."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.community import forms as cf
from rabta.community import selectors, services
from rabta.community.models import Call, CallStatus, PanelApplication, PanelApplicationStatus
from rabta.community.views.shared import list_with_opening
from rabta.core.actions import Actions, dispatch
from rabta.core.http import posted, request_user


@login_required
@require_http_methods(["GET", "POST"])
def calls(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = list_with_opening(
        request,
        allowed=selectors.runs_calls(user),
        form_class=cf.CallForm,
        create=lambda data: services.call_open(actor=user, data=data),
        success=_("The call is open."),
        page_of=lambda call: redirect("community:call", call.pk),
    )
    if isinstance(form, HttpResponse):
        return form
    context = {"calls": selectors.calls_list(), "form": form}
    return render(request, "community/calls.html", context)


def _call_actions(
    user: User, call: Call, apply_form: cf.ApplyForm, select_form: cf.SelectForm | None
) -> Actions:
    actions: Actions = {
        "apply": (
            apply_form,
            lambda: services.call_apply(user=user, call=call, **apply_form.cleaned_data),
            _("Your application is in."),
        ),
        "withdraw": (
            None,
            lambda: services.application_withdraw(user=user, call=call),
            _("Your application is withdrawn."),
        ),
        "close": (
            None,
            lambda: services.call_close(actor=user, call=call),
            _("The call is closed."),
        ),
    }
    if select_form is not None:
        form = select_form
        actions["select"] = (
            select_form,
            lambda: services.panel_select(
                actor=user, call=call, application_ids=form.cleaned_data["applications"]
            ),
            _("The panel is selected and everyone who applied is told."),
        )
    return actions


def _select_form(applications: list[PanelApplication], data: Any) -> cf.SelectForm:
    """Choosing the panel among the current applications (for the staff who run calls)."""
    choices = [
        (a.pk, a.applicant.display_name)
        for a in applications
        if a.status == PanelApplicationStatus.APPLIED
    ]
    return cf.SelectForm(data, choices=choices)


@login_required
@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, call_id: int) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.call_get(call_id=call_id)
    runs = selectors.runs_calls(user)
    action = request.POST.get("action", "")
    data = posted(request)
    apply_form = cf.ApplyForm(data if action == "apply" else None)
    applications = list(selectors.call_applications(call=found)) if runs else []
    select_form = _select_form(applications, data if action == "select" else None) if runs else None
    if request.method == "POST":
        actions = _call_actions(user, found, apply_form, select_form)
        if dispatch(request, action, actions, drafts={"apply": f"apply-{found.pk}"}):
            return redirect("community:call", found.pk)
    selected = found.status == CallStatus.SELECTED
    context = {
        "call": found,
        "runs": runs,
        "application": selectors.application_of(user=user, call=found),
        "applications": applications,
        "apply_form": apply_form,
        "select_form": select_form,
        "open": found.status == CallStatus.OPEN and found.closes_on >= timezone.localdate(),
        "on_panel": selectors.on_panel(user=user, call=found),
        "panel": list(selectors.panel_members(call=found)) if selected else [],
        "is_contributor": hasattr(user, "contributor_profile"),
    }
    return render(request, "community/call.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def workspace(request: HttpRequest, call_id: int) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.workspace_get_for_user(user=user, call_id=call_id)
    action = request.POST.get("action", "")
    data = posted(request)
    documents = selectors.workspace_documents(call=found)
    document_form = cf.DocumentForm(
        data if action == "document" else None,
        request.FILES if action == "document" else None,
    )
    comment_form = cf.CommentForm(
        data if action == "comment" else None,
        documents=[(d.pk, d.title) for d in documents],
    )
    if request.method == "POST":

        def upload() -> None:
            upload = document_form.cleaned_data["file"]
            services.document_add(
                user=user,
                call_id=found.pk,
                title=document_form.cleaned_data["title"],
                name=upload.name,
                data=upload.read(),
            )

        actions: Actions = {
            "document": (document_form, upload, _("The document is shared with the panel.")),
            "comment": (
                comment_form,
                lambda: services.comment_add(
                    user=user,
                    call_id=found.pk,
                    body=comment_form.cleaned_data["body"],
                    document_id=comment_form.cleaned_data["document"],
                ),
                _("Your comment is posted."),
            ),
        }
        if dispatch(request, action, actions, drafts={"comment": f"panel-{found.pk}"}):
            return redirect("community:workspace", found.pk)
    context = {
        "call": found,
        "documents": documents,
        "comments": selectors.workspace_comments(call=found),
        "panel": list(selectors.panel_members(call=found)),
        "document_form": document_form,
        "comment_form": comment_form,
    }
    return render(request, "community/workspace.html", context)


@login_required
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    document = selectors.document_get_for_user(user=request_user(request), document_id=document_id)
    try:
        handle = default_storage.open(document.file, "rb")
    except FileNotFoundError as exc:
        raise Http404() from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
