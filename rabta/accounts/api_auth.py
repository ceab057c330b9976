"""API authentication: the browser session (with CSRF) or a personal bearer token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from rabta.accounts.models import ApiToken

# A token's last use is written at most this often: a busy integration would otherwise write
# on every call.
LAST_USED_GRANULARITY = timedelta(minutes=5)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        if not token or len(token) > 128:
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(
                key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True
            )
            .first()
        )
        if found is None or not found.user.email_verified:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        user = found.user
        # A token is one factor.  Reads that need the second factor (staff access to other
        # people's data) are refused on token requests; use a 2FA browser session for them.
        user.is_verified = lambda: False  # type: ignore[attr-defined]
        request.user = user
        return user


SESSION_OR_TOKEN = [TokenAuth(), SessionAuth()]
