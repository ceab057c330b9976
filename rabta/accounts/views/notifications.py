"""The person's notification settings: how they hear of each kind of notice, when digests
arrive and the time zone their times are shown in; and the first-visit offer of their device's
zone (``base.html``), taken up or dismissed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rabta.accounts import services
from rabta.accounts.forms import NotificationSettingsForm, TimeZoneForm
from rabta.accounts.middleware import ZONE_OFFER_COOKIE
from rabta.accounts.models import User
from rabta.accounts.reference import time_zones
from rabta.core.actions import attempt
from rabta.core.http import posted, request_user
from rabta.core.preferences import deliveries_of


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = NotificationSettingsForm(
        posted(request),
        initial={
            "digest_hour": user.digest_hour,
            "time_zone": user.time_zone,
            **deliveries_of(user),
        },
    )
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: services.notification_settings_save(
            user=user,
            deliveries=form.deliveries(),
            digest_hour=form.cleaned_data["digest_hour"],
            time_zone=form.cleaned_data["time_zone"],
        ),
        _("Saved. This is how we tell you from now on."),
    ):
        return redirect("accounts:notifications")
    return render(
        request,
        "accounts/notification_settings.html",
        {"form": form, "zone": user.zone, "time_zones": sorted(time_zones())},
    )


ZONE_OFFER_DISMISSED_FOR = 60 * 60 * 24 * 365


def _back(request: HttpRequest) -> str:
    """The page the offer was on; anywhere off this site goes to the settings page instead."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:notifications")


@login_required
@require_POST
def time_zone_offer(request: HttpRequest) -> HttpResponse:
    """Take up the device's zone the layout offered (``action=use``), or say no to the offer
    (``action=dismiss``, remembered on this device); either way back to the page."""
    user: User = request_user(request)
    response = redirect(_back(request))
    if request.POST.get("action") == "dismiss":
        response.set_cookie(
            ZONE_OFFER_COOKIE,
            "dismissed",
            max_age=ZONE_OFFER_DISMISSED_FOR,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
        return response
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        for problem in form.errors.get("time_zone", []):
            messages.error(request, str(problem))
        return response
    attempt(
        request,
        form,
        lambda: services.user_time_zone_set(user=user, time_zone=form.cleaned_data["time_zone"]),
        _("Saved. Times are now shown in your time zone."),
    )
    return response
