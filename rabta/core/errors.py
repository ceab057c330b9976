"""Domain errors with machine-readable codes.

Services raise these; the API turns them into the uniform error body
``{"error": {"code": ..., "message": ..., "fields": {...}}}`` and pages show the message.
"""

from __future__ import annotations

from enum import StrEnum

from django.http import Http404


class ErrorCode(StrEnum):
    VALIDATION_ERROR = "validation_error"
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    EMAIL_UNVERIFIED = "email_unverified"
    TWO_FACTOR_REQUIRED = "two_factor_required"
    CONFLICT = "conflict"
    PEC_NUMBER_INVALID = "pec_number_invalid"
    PEC_NUMBER_TAKEN = "pec_number_taken"
    PROFILE_EXISTS = "profile_exists"
    PROFILE_MISSING = "profile_missing"
    INVALID_TRANSITION = "invalid_transition"
    IMPORT_INVALID = "import_invalid"
    RATE_LIMITED = "rate_limited"
    CAPACITY_EXHAUSTED = "capacity_exhausted"
    NOT_ELIGIBLE = "not_eligible"


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.EMAIL_UNVERIFIED: 403,
    ErrorCode.TWO_FACTOR_REQUIRED: 403,
    ErrorCode.CONFLICT: 409,
    ErrorCode.PEC_NUMBER_INVALID: 422,
    ErrorCode.PEC_NUMBER_TAKEN: 409,
    ErrorCode.PROFILE_EXISTS: 409,
    ErrorCode.PROFILE_MISSING: 404,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.IMPORT_INVALID: 422,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.CAPACITY_EXHAUSTED: 409,
    ErrorCode.NOT_ELIGIBLE: 403,
}


class DomainError(Exception):
    """A refusal the user can act on.  ``fields`` maps a field name to its messages."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]

    def as_body(self) -> dict[str, object]:
        return {"error": {"code": str(self.code), "message": self.message, "fields": self.fields}}


class NotFound(DomainError, Http404):
    """Raised by permission-checked fetches: absent and not-yours look the same.  Being an
    Http404 too, a page that lets it through answers with the ordinary 404 page."""

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(ErrorCode.NOT_FOUND, message)


def invalid(field: str, message: str) -> DomainError:
    """A refusal that belongs to one field of the form (or of the API body)."""
    return DomainError(ErrorCode.VALIDATION_ERROR, message, fields={field: [message]})


def forbidden(message: str | None = None) -> DomainError:
    from django.utils.translation import gettext as _

    return DomainError(ErrorCode.FORBIDDEN, message or _("You may not do that here."))
