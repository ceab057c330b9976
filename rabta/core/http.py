"""The signed-in person of a page or an API call, and what a page was sent: one helper each,
so no app rewrites them.  Typed ``Any`` because core knows no app's user model; callers annotate
(``user: User = request_user(request)``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def request_user(request: HttpRequest) -> Any:
    """The person on a page behind ``login_required`` (or an anonymous user elsewhere)."""
    return request.user


def api_user(request: HttpRequest) -> Any:
    """The person an API call authenticated as (session or token)."""
    return request.auth  # type: ignore[attr-defined]


def posted(request: HttpRequest) -> Any:
    """The submitted form data on a POST, None on a GET: what a page's forms are bound to."""
    return request.POST if request.method == "POST" else None
