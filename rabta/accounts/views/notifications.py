"""The person's notification settings: how they hear of each kind of notice, when digests
arrive and the time zone their times are shown in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts import services
from rabta.accounts.forms import NotificationSettingsForm
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
