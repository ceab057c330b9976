"""The JSON API: one NinjaAPI, per-app routers, one error body.

Every error has the shape ``{"error": {"code": "...", "message": "...", "fields": {...}}}``
where ``code`` is one of ``rabta.core.errors.ErrorCode``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from rabta.accounts.api import router as accounts_router
from rabta.accounts.api_auth import SESSION_OR_TOKEN
from rabta.core.errors import DomainError, ErrorCode
from rabta.programme.api import router as programme_router

api = NinjaAPI(
    title="Rabta API",
    version="1.0.0",
    description=(
        "Rabta's API for the Global Engineering Freelance Initiative and the Brain Gain Portal. "
        "Authenticate with your browser session (send the CSRF token on writes) or with a "
        "personal token: `Authorization: Bearer rbt_…`."
    ),
    auth=SESSION_OR_TOKEN,
    urls_namespace="api",
)
api.add_router("/", accounts_router)
api.add_router("/", programme_router)


def _error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, error.as_body(), status=error.status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ()) if part not in ("body", "payload")]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(str(item.get("msg", "Invalid value.")))
    return _error(
        request, DomainError(ErrorCode.VALIDATION_ERROR, "The request is not valid.", fields=fields)
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, DomainError(ErrorCode.UNAUTHENTICATED, "Log in, or send a valid API token.")
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, DomainError(ErrorCode.NOT_FOUND, "Not found."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {
        401: ErrorCode.UNAUTHENTICATED,
        403: ErrorCode.FORBIDDEN,
        404: ErrorCode.NOT_FOUND,
        429: ErrorCode.RATE_LIMITED,
    }.get(exc.status_code, ErrorCode.VALIDATION_ERROR)
    body = DomainError(code, str(exc)).as_body()
    return api.create_response(request, body, status=exc.status_code)
