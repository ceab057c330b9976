"""What every request of a person passes through.

``AccountGateMiddleware`` gates every request of a signed-in person on two conditions, in this
order:

1. their email address is verified;
2. if they hold a privileged role (staff, analyst, administrator), they have passed their
   second factor in this session.

Pages redirect to the step that is missing; the API answers with the uniform error body.

``ReaderZoneMiddleware`` makes the reader's time zone the active one for the request, so every
``|date`` of a stored (UTC) time shows the reader's clock: a signed-in person's ``User.zone``, a
visitor's device zone remembered in a cookie, otherwise Pakistan's.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rabta.accounts.selectors import two_factor_enrolled
from rabta.accounts.validation import clean_time_zone
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


# The device's zone of a visitor who is not signed in, written by rabta/static/rabta/zone.js.
ZONE_COOKIE = "rabta_zone"
# "dismissed": a signed-in person who said no to the offer of their device's zone.
ZONE_OFFER_COOKIE = "rabta_zone_offer"


def reader_zone(request: HttpRequest) -> ZoneInfo:
    """The zone this request's reader reads times in: a signed-in person's ``User.zone`` (their
    own, else their contributor profile's, else Pakistan's); a visitor's remembered device
    zone where it is a real one; otherwise Pakistan's."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return request_user(request).zone  # type: ignore[no-any-return]
    remembered = request.COOKIES.get(ZONE_COOKIE, "")
    if remembered:
        try:
            return ZoneInfo(clean_time_zone(remembered))
        except ValidationError:
            pass
    return ZoneInfo(settings.TIME_ZONE)


class ReaderZoneMiddleware:
    """Activates the reader's zone for the request and deactivates it after, so nothing of one
    request leaks into the next one a worker serves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(reader_zone(request))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
