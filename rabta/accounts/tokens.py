"""Signed links: email verification (bound to the address it was sent to) and invitations to
represent an institution.  Both expire; neither is stored."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

_SALT = "rabta.accounts.email-verification"
INVITATION_SALT = "rabta.accounts.institution-invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 14


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


def invitation_token_make(*, invitation_id: int) -> str:
    return signing.dumps({"i": invitation_id}, salt=INVITATION_SALT)


def invitation_token_read(token: str) -> int | None:
    """The invitation a valid, unexpired link points at, else None."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    invitation_id = data.get("i") if isinstance(data, dict) else None
    return invitation_id if isinstance(invitation_id, int) else None
