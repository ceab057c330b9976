"""The person's own pages: their account, settings, and engineer and contributor profiles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts import selectors, services
from rabta.accounts.forms import (
    ContributorProfileForm,
    EngineerProfileForm,
    UserSettingsForm,
    district_choices,
)
from rabta.accounts.models import User
from rabta.accounts.reference import Province, time_zones
from rabta.accounts.views.auth import language_cookie_set
from rabta.core.actions import attempt
from rabta.core.http import posted, request_user


def profile_initial(profile: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A saved profile (or institution) as a form's initial values."""
    if profile is None:
        return {}
    initial = {name: getattr(profile, name) for name in names}
    for key, value in list(initial.items()):
        if key in ("country", "country_of_residence"):
            initial[key] = str(value)
    return initial


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    context = {
        "engineer": selectors.engineer_profile_of(user=user),
        "contributor": selectors.contributor_profile_of(user=user),
        "institutions": selectors.institution_list_for_user(user=user),
        "pending_count": selectors.verification_pending_count(user=user),
    }
    return render(request, "accounts/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_settings(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = UserSettingsForm(
        posted(request),
        initial={"display_name": user.display_name, "preferred_language": user.preferred_language},
    )
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: services.user_update_settings(user=user, **form.cleaned_data),
        _("Saved."),
    ):
        response = redirect("accounts:settings")
        language_cookie_set(response, user.preferred_language)
        return response
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def engineer_profile_edit(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    if request.htmx and "province" in request.GET:  # type: ignore[attr-defined]
        province = request.GET.get("province", "")
        if province not in Province.values:
            return HttpResponse(status=400)
        return render(
            request, "accounts/_district_select.html", {"choices": district_choices(province)}
        )
    profile = selectors.engineer_profile_of(user=user)
    form = EngineerProfileForm(
        posted(request), initial=profile_initial(profile, services.ENGINEER_EDITABLE)
    )
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: services.engineer_profile_save(user=user, data=form.cleaned_data),
        _("Your engineer profile is saved."),
        clear="engineer-profile",
    ):
        return redirect("accounts:home")
    return render(
        request, "accounts/engineer_profile_form.html", {"form": form, "profile": profile}
    )


@login_required
@require_http_methods(["GET", "POST"])
def contributor_profile_edit(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    profile = selectors.contributor_profile_of(user=user)
    form = ContributorProfileForm(
        posted(request), initial=profile_initial(profile, services.CONTRIBUTOR_EDITABLE)
    )
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: services.contributor_profile_save(user=user, data=form.cleaned_data),
        _("Your contributor profile is saved."),
        clear="contributor-profile",
    ):
        return redirect("accounts:home")
    return render(
        request,
        "accounts/contributor_profile_form.html",
        {"form": form, "profile": profile, "time_zones": sorted(time_zones())},
    )
