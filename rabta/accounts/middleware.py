"""Gates every request of a signed-in person on two conditions, in this order:

1. their email address is verified;
2. if they hold a privileged role (staff, analyst, administrator), they have passed their
   second factor in this session.

Pages redirect to the step that is missing; the API answers with the uniform error body.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rabta.accounts.selectors import two_factor_enrolled
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.http import request_user

# The unsubscribe link of an email works for anyone who has it, signed in or not.
ALWAYS_OPEN_PREFIXES = ("/static/", "/i18n/", "/api/openapi.json", "/api/docs", "/unsubscribe/")


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        """Paths open before either step; the privacy pages only before email verification
        (a privileged account is never deleted or exported on its password alone)."""
        if self._open_paths is None:
            self._open_paths = frozenset(
                reverse(name)
                for name in (
                    "accounts:logout",
                    "accounts:verify_email_sent",
                    "accounts:two_factor_setup",
                    "accounts:two_factor_verify",
                    "set_language",
                )
            )
        return self._open_paths

    @staticmethod
    def _privacy_paths() -> tuple[str, str]:
        return reverse("accounts:privacy"), reverse("accounts:data_export")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request_user(request)  # a User once authenticated (django_otp adds is_verified)
        if not user.is_authenticated or self._is_open(request.path):
            return self.get_response(request)
        if not user.email_verified:
            if request.path in self._privacy_paths():
                return self.get_response(request)
            return self._refuse(
                request,
                ErrorCode.EMAIL_UNVERIFIED,
                _("Verify your email address first."),
                "accounts:verify_email_sent",
            )
        if user.needs_two_factor and not user.is_verified():
            enrolled = two_factor_enrolled(user=user)
            target = "accounts:two_factor_verify" if enrolled else "accounts:two_factor_setup"
            return self._refuse(
                request,
                ErrorCode.TWO_FACTOR_REQUIRED,
                _("Confirm your second factor first."),
                target,
            )
        return self.get_response(request)

    def _is_open(self, path: str) -> bool:
        return (
            path.startswith(ALWAYS_OPEN_PREFIXES)
            or path in self.open_paths()
            or (path.startswith("/accounts/verify-email/"))
        )

    @staticmethod
    def _refuse(request: HttpRequest, code: ErrorCode, message: str, target: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            error = DomainError(code, message)
            return JsonResponse(error.as_body(), status=error.status)
        url = reverse(target)
        if request.method == "GET" and target.startswith("accounts:two_factor"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
