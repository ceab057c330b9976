"""The portal's home for each person, the project marketplace, and a contributor's skills."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.accounts.roles import Role
from rabta.braingain import forms as bg_forms
from rabta.braingain import presenters, selectors, services
from rabta.core.actions import dispatch
from rabta.core.http import posted, request_user


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    context = {
        "profile": selectors.contributor_profile(user=user),
        "incoming": selectors.requests_waiting_for(user=user),
        "asks": list(selectors.asks_for_seeker(user=user)[:50]),
        "mentorships": list(selectors.mentorships_for_user(user=user)[:50]),
        "engagements": list(selectors.engagements_for_user(user=user)[:50]),
        "pending": selectors.pending_count(user=user),
        "max_pending": services.MAX_PENDING,
        "can_ask": selectors.can_ask(user),
        "is_staff": selectors.is_staff(user),
    }
    return render(request, "braingain/hub.html", context)


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    if not user.has_role(Role.CONTRIBUTOR) and not selectors.is_staff(user):
        raise Http404()
    found = list(selectors.projects_open()[:100])
    sent = selectors.proposed_ask_ids(user=user, asks=found)
    return render(request, "braingain/projects.html", {"projects": found, "sent": sent})


@login_required
@require_http_methods(["GET", "POST"])
def expertise(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    profile = selectors.contributor_profile(user=user)
    if profile is None:
        messages.error(request, _("Complete your contributor profile first."))
        return redirect("accounts:contributor_profile")
    form = bg_forms.SkillsForm(
        posted(request), initial={"skill_terms": bg_forms.skill_terms(profile.skills)}
    )
    if request.method == "POST" and dispatch(
        request,
        "skills",
        {
            "skills": (
                form,
                lambda: services.contributor_skills_set(
                    user=user, skills=form.cleaned_data["skill_terms"]
                ),
                _("Your skills are saved."),
            )
        },
    ):
        return redirect("braingain:expertise")
    return render(
        request,
        "braingain/expertise.html",
        {"form": form, "profile": profile, "skills": presenters.skill_labels(profile.skills)},
    )
