"""What every Brain Gain page shares."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest


def posted_id(request: HttpRequest, name: str) -> int:
    """The id a page's POST names (a session, a milestone, a proposal); anything else is a 404,
    like an id that is not the viewer's."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404() from None


def bound_if(action: str, name: str, data: Any) -> Any:
    """The posted data for the form of ``name`` when that is the posted action: each form on a
    page is bound only to its own action."""
    return data if action == name else None
