"""Times as the reader reads them: ``{% load local_time %}`` then ``{{ moment|local_time }}``.

Emails are rendered inside ``core.emails.reading_as``, which makes the reader's zone the active
one; the filter shows the time in that zone and names it, so nobody has to guess whose clock a
deadline is on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import dateformat, timezone

register = template.Library()


@register.filter
def local_time(value: Any) -> str:
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    zone = timezone.get_current_timezone_name()
    return f"{dateformat.format(value, 'j M Y, H:i')} ({zone})"
