"""Reads owned by core: a person's own inbox."""

from __future__ import annotations

from typing import Any

from rabta.core.models import Notification


def notification_list(*, user: Any, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(user_id=user.pk or 0)[:limit])


def notification_unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user_id=user.pk or 0, read_at__isnull=True).count()
