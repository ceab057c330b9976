"""The outcome log: what happened after the programme, in the participant's own words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.core.actions import Actions, dispatch
from rabta.core.errors import NotFound
from rabta.core.http import posted
from rabta.portfolio import selectors, services
from rabta.portfolio.forms import OutcomeForm
from rabta.portfolio.models import OutcomeKind
from rabta.portfolio.views.common import owner
from rabta.profiling import selectors as profiling


@login_required
@require_http_methods(["GET", "POST"])
def outcomes(request: HttpRequest) -> HttpResponse:
    user = owner(request)
    result = profiling.latest_result(user=user)
    form = OutcomeForm(
        posted(request), initial={"pathway": result.chosen_pathway if result else ""}
    )
    if request.method == "POST":

        def log() -> None:
            entry = services.outcome_log(user=user, **form.cleaned_data)
            thanks = entry.kind == OutcomeKind.CONTRACT
            messages.success(
                request,
                _("Congratulations, and thank you: it helps the next engineers.")
                if thanks
                else _("Logged."),
                extra_tags="clear-outcome",
            )

        def delete() -> None:
            try:
                entry_id = int(request.POST.get("entry", "0") or 0)
            except ValueError:
                raise NotFound() from None
            services.outcome_delete(user=user, entry_id=entry_id)

        actions: Actions = {
            "log": (form, log, ""),
            "delete": (None, delete, _("Line removed.")),
        }
        # the log form has no button name: anything but a line's "Remove" logs
        action = "delete" if request.POST.get("action") == "delete" else "log"
        if dispatch(request, action, actions):
            return redirect("portfolio:outcomes")
    context = {"form": form, **selectors.outcome_summary(user=user)}
    return render(request, "portfolio/outcomes.html", context)
