"""Staff pages: the PEC verification queue and the import of the council's register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rabta.accounts import selectors, services
from rabta.accounts.forms import RegisterImportForm, VerificationDecisionForm
from rabta.accounts.models import EngineerProfile, User, VerificationState
from rabta.accounts.reference import pec_number_normalise
from rabta.core.actions import attempt, refuse
from rabta.core.errors import DomainError
from rabta.core.http import posted, request_user
from rabta.core.services import audit_record


@login_required
@permission_required("accounts.verify_pec_number", raise_exception=True)
def verification_queue(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    state = request.GET.get("state", VerificationState.PENDING)
    queryset = selectors.verification_queue(user=user, state=state)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    audit_record(
        actor=user,
        action="personal_data.listed",
        list="verification_queue",
        state=state,
        page=page.number,
    )
    return render(
        request,
        "accounts/verification_queue.html",
        {
            "page": page,
            "state": state,
            "states": VerificationState.choices,
            "form": VerificationDecisionForm(),
        },
    )


@login_required
@permission_required("accounts.verify_pec_number", raise_exception=True)
@require_POST
def verification_decide(request: HttpRequest, profile_id: int) -> HttpResponse:
    user: User = request_user(request)
    form = VerificationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose verify or reject."))
        return redirect("accounts:verification_queue")
    decision = form.cleaned_data["decision"]
    decided: list[EngineerProfile] = []

    def decide() -> None:
        decided.append(
            services.pec_verification_decide(
                actor=user,
                profile_id=profile_id,
                decision=decision,
                reason=form.cleaned_data["reason"],
                reviewed_pec_number=form.cleaned_data["pec_number"],
            )
        )

    if request.htmx:  # type: ignore[attr-defined]
        # The queue swaps the row in place: the new state, or the refusal, and no message.
        try:
            decide()
        except DomainError as error:
            return HttpResponse(
                f'<p class="error" role="alert">{escape(error.message)}</p>', status=error.status
            )
        return render(request, "accounts/_verification_decided.html", {"profile": decided[0]})
    number = pec_number_normalise(form.cleaned_data["pec_number"]) or ""
    refuse(
        request,
        decide,
        _("%(number)s is now %(state)s.")
        % {"number": number, "state": VerificationState(decision).label},
    )
    if not decided:
        return redirect("accounts:verification_queue")
    return redirect(reverse("accounts:verification_queue") + "?state=pending")


@login_required
@permission_required("accounts.import_pec_register", raise_exception=True)
@require_http_methods(["GET", "POST"])
def register_import(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = RegisterImportForm(posted(request), request.FILES or None)
    if request.method == "POST":

        def start() -> None:
            upload = form.cleaned_data["file"]
            services.pec_register_import_start(
                actor=user, name=upload.name or "register.csv", content=upload.read()
            )

        message = _("The register is being imported: its progress and outcome are shown below.")
        if attempt(request, form, start, message):
            return redirect("accounts:register_import")
    job = selectors.register_import_job()
    return render(
        request,
        "accounts/register_import.html",
        {"form": form, "job": job, "result": job.result if job and job.finished else None},
    )
