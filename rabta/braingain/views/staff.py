"""Staff pages: matching rounds (create, pin and forbid pairs, solve, publish) and the
programme report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.braingain import forms as bg_forms
from rabta.braingain import presenters, reports, selectors, services
from rabta.braingain.models import MatchingRound
from rabta.braingain.views.common import bound_if, posted_id
from rabta.core.actions import Actions, dispatch
from rabta.core.http import posted, request_user


@login_required
@permission_required("braingain.run_matching_round", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_rounds(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = bg_forms.RoundForm(posted(request))
    holder: dict[str, MatchingRound] = {}

    def create() -> None:
        holder["round"] = services.round_create(user=user, **form.cleaned_data)

    if request.method == "POST" and dispatch(
        request, "create", {"create": (form, create, _("Round created."))}
    ):
        return redirect("braingain:staff_round", holder["round"].pk)
    rounds = selectors.rounds_for_staff(user=user, limit=50)
    return render(request, "braingain/staff_rounds.html", {"form": form, "rounds": rounds})


def _round_actions(
    request: HttpRequest, user: User, round_id: int, form: bg_forms.ConstraintForm
) -> Actions:
    return {
        "constrain": (
            form,
            lambda: services.round_constraint_set(
                user=user,
                round_id=round_id,
                ask_id=form.cleaned_data["ask"],
                contributor_id=form.cleaned_data["contributor"],
                kind=form.cleaned_data["kind"],
            ),
            _("Saved. Solve again to apply it."),
        ),
        "unconstrain": (
            None,
            lambda: services.round_constraint_remove(
                user=user, round_id=round_id, constraint_id=posted_id(request, "constraint")
            ),
            _("Removed. Solve again to apply it."),
        ),
        "solve": (
            None,
            lambda: services.round_solve(user=user, round_id=round_id),
            _("Solved."),
        ),
        "publish": (
            None,
            lambda: services.round_publish(user=user, round_id=round_id),
            _("Published: requests are on their way."),
        ),
    }


@login_required
@permission_required("braingain.run_matching_round", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_round(request: HttpRequest, round_id: int) -> HttpResponse:
    user: User = request_user(request)
    matching_round = selectors.round_get_for_staff(user=user, round_id=round_id)
    action = request.POST.get("action", "")
    constraint_form = bg_forms.ConstraintForm(bound_if(action, "constrain", posted(request)))
    if request.method == "POST" and dispatch(
        request, action, _round_actions(request, user, round_id, constraint_form)
    ):
        return redirect("braingain:staff_round", round_id)
    context = {
        "round": matching_round,
        "asks": len(selectors.round_asks(matching_round)),
        "assignments": [
            (a, presenters.reasons(a.parts, a.matched_skills, len(a.ask.skills)))
            for a in selectors.round_assignments(matching_round, limit=500)
        ],
        "constraints": selectors.round_constraints(matching_round),
        "constraint_form": constraint_form,
    }
    return render(request, "braingain/staff_round.html", context)


@login_required
@permission_required("braingain.view_programme_report", raise_exception=True)
def staff_report(request: HttpRequest) -> HttpResponse:
    return render(request, "braingain/staff_report.html", {"report": reports.programme_report()})
