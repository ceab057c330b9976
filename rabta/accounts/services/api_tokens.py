"""Personal API tokens: created once (the key is shown only then), revoked, never edited."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import ApiToken, User
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.services import audit_record

MAX_ACTIVE_TOKENS = 10


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            _("Give the token a name of up to 80 characters."),
            fields={"name": [_("Required, 80 characters at most.")]},
        )
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(ErrorCode.CONFLICT, _("Revoke a token before creating another."))
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:10], key_hash=ApiToken.hash_key(key)
    )
    audit_record(actor=user, action="api_token.created", target=token)
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    """``token`` must come from ``api_token_get_for_user``."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=token.user, action="api_token.revoked", target=token)
