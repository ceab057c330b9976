"""The results pages (the person's own, and programme staff's view of one person), the
analysts' aggregates and postings intake."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rabta.accounts.models import User
from rabta.core.actions import Actions, dispatch
from rabta.core.errors import invalid
from rabta.core.http import posted, request_user
from rabta.core.services import audit_record
from rabta.profiling import presenters, selectors, services
from rabta.profiling.forms import ChooseForm, OutcomeForm, PostingImportForm
from rabta.profiling.services import postings


@login_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    result = selectors.latest_result(user=user)
    if result is None:
        return redirect("profiling:home")
    action = request.POST.get("action", "")
    outcome_form = OutcomeForm(
        posted(request) if action == "outcome" else None,
        initial={"pathway": result.chosen_pathway},
    )
    if request.method == "POST":
        choose_form = ChooseForm(posted(request) if action == "choose" else None)
        actions: Actions = {
            "choose": (
                choose_form,
                lambda: services.pathway_choose(
                    user=user, slug=choose_form.cleaned_data["pathway"]
                ),
                _("Your plan is updated."),
            ),
            "outcome": (
                outcome_form,
                lambda: services.outcome_record(user=user, **outcome_form.cleaned_data),
                _("Congratulations, and thank you: it helps the next engineers."),
            ),
        }
        # a choice that is not one of the pathways listed only reloads the page
        if dispatch(request, action, actions) or action == "choose":
            return redirect("profiling:results")
    context = {
        **presenters.results_context(result, selectors.result_previous(result=result)),
        "outcome_form": outcome_form,
        "in_progress": selectors.assessment_for(user=user),
        "staff_view": False,
    }
    return render(request, "profiling/results.html", context)


@login_required
@permission_required(selectors.STAFF_PERMISSION, raise_exception=True)
@require_GET
def staff_results(request: HttpRequest, user_id: int) -> HttpResponse:
    staff: User = request_user(request)
    result = selectors.result_get_for_staff(user=staff, person_id=user_id)
    audit_record(actor=staff, action="profiling.results.view", target=result.assessment)
    context = {
        **presenters.results_context(result, selectors.result_previous(result=result), show=8),
        "staff_view": True,
        "person": result.assessment.user,
    }
    return render(request, "profiling/results.html", context)


@login_required
@permission_required(selectors.AGGREGATES_PERMISSION, raise_exception=True)
@require_GET
def insights(request: HttpRequest) -> HttpResponse:
    """Aggregates for analysts: never a person, and no cell small enough to single one out."""
    context = selectors.aggregates(user=request_user(request))
    return render(request, "profiling/insights.html", context)


@login_required
@permission_required("profiling.add_posting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def posting_intake(request: HttpRequest) -> HttpResponse:
    form = PostingImportForm(posted(request), request.FILES or None)
    if request.method == "POST":

        def receive() -> None:
            upload = form.cleaned_data["file"]
            if upload.size > postings.MAX_FILE_BYTES:  # refused before it is read
                raise invalid("file", _("The file is larger than 5 MB: split it."))
            # only kept here: the import job checks, stores and classifies it
            services.postings_receive(
                actor=request_user(request), name=upload.name or "postings", content=upload.read()
            )

        started = _("The file is being imported: its progress and outcome are shown below.")
        if dispatch(request, "import", {"import": (form, receive, started)}):  # the page's one form
            return redirect("profiling:postings")
    context = {"form": form, **selectors.postings_overview()}
    return render(request, "profiling/postings.html", context)
