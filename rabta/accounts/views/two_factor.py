"""The second factor.  Like the login and password-reset pages these are steps of signing in,
not actions on a page, so they show a refusal on their form and no message."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from rabta.accounts import selectors, services
from rabta.accounts.forms import OtpTokenForm
from rabta.accounts.models import User
from rabta.core.actions import apply_domain_error
from rabta.core.errors import DomainError
from rabta.core.http import posted, request_user


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:home")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    if selectors.two_factor_enrolled(user=user):
        return redirect("accounts:two_factor_verify")
    device = services.two_factor_device_pending(user=user)
    form = OtpTokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enrol(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            otp_login(request, device)
            return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": image.to_string(encoding="unicode"),
            "secret": secret,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    if not selectors.two_factor_enrolled(user=user):
        return redirect("accounts:two_factor_setup")
    form = OtpTokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_match(user=user, token=form.cleaned_data["token"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
    )
