"""Posting an ask, and the ask's page: the seeker sends requests and awards proposals there, a
contributor sends a proposal for a project."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.braingain import forms as bg_forms
from rabta.braingain import presenters, selectors, services
from rabta.braingain.models import Ask, AskStatus
from rabta.braingain.views.common import bound_if, posted_id
from rabta.core.actions import Actions, dispatch
from rabta.core.http import posted, request_user


@login_required
@require_http_methods(["GET", "POST"])
def ask_new(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    institutions = selectors.institutions_of(user=user)
    engineer = selectors.is_engineer(user)
    if not institutions and not engineer:
        messages.error(
            request, _("Complete your engineer profile or join an institution to post an ask.")
        )
        return redirect("braingain:hub")
    form = bg_forms.AskForm(posted(request), institutions=institutions, engineer=engineer)
    holder: dict[str, Ask] = {}

    def post() -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k != "skill_terms"}
        data["skills"] = form.cleaned_data["skill_terms"]
        holder["ask"] = services.ask_post(user=user, data=data)

    success = _("Your ask is posted. Choose whom to ask below.")
    if request.method == "POST" and dispatch(request, "post", {"post": (form, post, success)}):
        return redirect("braingain:ask", holder["ask"].pk)
    return render(request, "braingain/ask_new.html", {"form": form})


def _ask_actions(
    request: HttpRequest,
    user: User,
    ask: Ask,
    request_form: bg_forms.RequestForm,
    proposal_form: bg_forms.ProposalForm,
    holder: dict[str, Any],
) -> Actions:
    def award() -> None:
        holder["engagement"] = services.proposal_award(
            user=user, proposal_id=posted_id(request, "proposal")
        )

    return {
        "request": (
            request_form,
            lambda: services.request_send(
                user=user,
                ask_id=ask.pk,
                contributor_id=request_form.cleaned_data["contributor"],
                message=request_form.cleaned_data["message"],
            ),
            _("Request sent. They have %(days)d days to answer.")
            % {"days": services.RESPONSE_DAYS},
        ),
        "withdraw": (
            None,
            lambda: services.request_withdraw(user=user, request_id=posted_id(request, "request")),
            _("Request withdrawn."),
        ),
        "close": (None, lambda: services.ask_close(user=user, ask_id=ask.pk), _("Closed.")),
        "propose": (
            proposal_form,
            lambda: services.proposal_submit(
                user=user,
                ask_id=ask.pk,
                price_usd=proposal_form.cleaned_data["price_usd"],
                plan=proposal_form.cleaned_data["plan"],
                milestones=proposal_form.cleaned_data["milestones_text"],
            ),
            _("Proposal sent."),
        ),
        "withdraw_proposal": (
            None,
            lambda: services.proposal_withdraw(
                user=user, proposal_id=posted_id(request, "proposal")
            ),
            _("Proposal withdrawn."),
        ),
        "award": (None, award, _("Awarded. Both of you now sign the contract.")),
    }


@login_required
@require_http_methods(["GET", "POST"])
def ask_detail(request: HttpRequest, ask_id: int) -> HttpResponse:
    user: User = request_user(request)
    ask, part = selectors.ask_get_for_user(user=user, ask_id=ask_id)
    action = request.POST.get("action", "")
    data = posted(request)
    request_form = bg_forms.RequestForm(bound_if(action, "request", data))
    proposal_form = bg_forms.ProposalForm(bound_if(action, "propose", data))
    if request.method == "POST":
        holder: dict[str, Any] = {}
        actions = _ask_actions(request, user, ask, request_form, proposal_form, holder)
        if dispatch(request, action, actions):
            if "engagement" in holder:
                return redirect("braingain:engagement", holder["engagement"].pk)
            return redirect("braingain:ask", ask.pk)
        ask, part = selectors.ask_get_for_user(user=user, ask_id=ask_id)
    context: dict[str, Any] = {
        "ask": ask,
        "part": part,
        "skills": presenters.skill_labels(ask.skills),
        "request_form": request_form,
        "proposal_form": proposal_form,
        **_ask_context(user, ask, part),
    }
    return render(request, "braingain/ask.html", context)


def _ask_context(user: User, ask: Ask, part: str) -> dict[str, Any]:
    """What the viewer's part may see of the ask: its requests and suggestions (the seeker and
    staff), the proposals (a project's client and staff), one's own proposal (a consultant)."""
    context: dict[str, Any] = {}
    if part in ("seeker", "staff"):
        context["requests"] = [
            (r, presenters.reasons(r.parts, r.matched_skills, len(ask.skills)))
            for r in selectors.ask_requests(ask)
        ]
        if part == "seeker" and ask.status == AskStatus.OPEN and not ask.is_project:
            context["suggestions"] = _suggestions(ask)
            context["waiting"] = selectors.ask_waiting(ask)
        if ask.is_project:
            context["proposals"] = selectors.ask_proposals(ask)
    if part == "contributor" and ask.is_project:
        context["mine"] = selectors.proposal_of(ask, user=user)
    if ask.is_project:
        context["engagement"] = selectors.ask_engagement(ask)
    return context


def _suggestions(ask: Ask) -> list[tuple[Any, ...]]:
    found = services.suggestions(ask=ask, limit=5)
    people = selectors.contributors_by_id([s.contributor_id for s in found])
    return [
        (
            s,
            *people[s.contributor_id],
            presenters.reasons(s.parts, s.matched_skills, len(ask.skills)),
        )
        for s in found
    ]
