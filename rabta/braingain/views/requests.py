"""A request's page: the contributor sees who asks and why, and accepts or declines."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.braingain import forms as bg_forms
from rabta.braingain import presenters, selectors, services
from rabta.braingain.models import MatchRequest
from rabta.core.actions import dispatch
from rabta.core.http import posted, request_user


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user: User = request_user(request)
    match_request, part = selectors.request_get_for_user(user=user, request_id=request_id)
    form = bg_forms.RespondForm(posted(request))
    if request.method == "POST":
        accept = request.POST.get("decision") == "accept"
        answer = (
            form,
            lambda: services.request_respond(
                user=user,
                request_id=match_request.pk,
                accept=accept,
                reason=form.cleaned_data.get("reason", ""),
            ),
            _("Accepted. Agree the terms together next.")
            if accept
            else _("Declined. Thank you for answering."),
        )
        if dispatch(request, "answer", {"answer": answer}):
            return _answered(match_request, accept=accept)
    ask = match_request.ask
    # what the engineer's career assessment concluded: the contributor sees whom they would help
    seeker_profile, pathway = selectors.seeker_background(ask)
    return render(
        request,
        "braingain/request.html",
        {
            "match_request": match_request,
            "part": part,
            "ask": ask,
            "skills": presenters.skill_labels(ask.skills),
            "reasons": presenters.reasons(
                match_request.parts, match_request.matched_skills, len(ask.skills)
            ),
            "seeker_profile": seeker_profile,
            "pathway": pathway,
            "form": form,
            "respond_by": timezone.localtime(match_request.respond_by, selectors.user_zone(user)),
        },
    )


def _answered(match_request: MatchRequest, *, accept: bool) -> HttpResponse:
    mentorship = selectors.request_mentorship(match_request) if accept else None
    if mentorship is not None:
        return redirect("braingain:mentorship", mentorship.pk)
    return redirect("braingain:hub")
