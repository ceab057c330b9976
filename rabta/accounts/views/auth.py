"""Signing up, logging in, the verified address, and the login lockout that axes calls."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts import selectors, services
from rabta.accounts.forms import LoginForm, SignupForm
from rabta.accounts.models import User
from rabta.core.actions import attempt, refuse
from rabta.core.errors import DomainError
from rabta.core.http import posted, request_user


def language_cookie_set(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


def lockout_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account a login attempt is for, however its address was typed."""
    raw = str((credentials or {}).get("username") or request.POST.get("username", ""))
    raw = raw.strip()[:254]
    return selectors.user_email_stored(raw) or raw.lower()


def lockout_response(
    request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user: User = form.get_user()
        language_cookie_set(response, user.preferred_language)
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignupForm(posted(request))

    def register() -> None:
        user = services.user_register(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            display_name=form.cleaned_data["display_name"],
            role=form.cleaned_data["role"],
            preferred_language=request.LANGUAGE_CODE,
        )
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")

    if request.method == "POST" and attempt(
        request, form, register, _("Your account is created."), clear="signup"
    ):
        return redirect("accounts:verify_email_sent")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def verify_email_sent(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    if user.email_verified:
        return redirect("accounts:home")
    if request.method == "POST":
        refuse(
            request,
            lambda: services.email_verification_resend(user=user),
            _("We sent a new link to %(email)s.") % {"email": user.email},
        )
        return redirect("accounts:verify_email_sent")
    return render(request, "accounts/verify_email_sent.html")


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.email_verify(token=token)
    except DomainError as error:
        return render(
            request, "accounts/verify_email_failed.html", {"error": error.message}, status=400
        )
    messages.success(request, _("Your email address is verified."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:home")
    return redirect("accounts:login")
