"""Email verification links: signed, expiring, bound to the address they were sent to."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

_SALT = "rabta.accounts.email-verification"


def email_verification_token_make(*, user_id: int, email: str) -> str:
    return signing.dumps({"u": user_id, "e": email}, salt=_SALT, compress=True)


def email_verification_token_read(token: str) -> tuple[int, str] | None:
    """Return (user id, email) for a valid, unexpired token, else None."""
    if not isinstance(token, str) or len(token) > 512:
        return None
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.EMAIL_VERIFICATION_TIMEOUT)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("e", ""))
