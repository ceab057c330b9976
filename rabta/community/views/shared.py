"""What several community pages share: on/off action pairs and list pages whose staff open
new things from a form on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse

from rabta.core.actions import Actions, attempt
from rabta.core.http import posted


def switch(
    on: str, off: str, set_to: Callable[[bool], Any], said_on: str, said_off: str
) -> Actions:
    """A pair of form-less actions that turn one thing on and off (follow, going)."""
    return {
        on: (None, lambda: set_to(True), said_on),
        off: (None, lambda: set_to(False), said_off),
    }


def list_with_opening(
    request: HttpRequest,
    *,
    allowed: bool,
    form_class: type[forms.Form],
    create: Callable[[dict[str, Any]], Any],
    success: str,
    page_of: Callable[[Any], HttpResponse],
) -> HttpResponse | forms.Form | None:
    """A list page whose staff may open a new one (a chapter, a call) from a form on it:
    the redirect to what was opened, or the form to show (None for everyone else)."""
    form = form_class(posted(request)) if allowed else None
    if request.method == "POST":
        if form is None:
            raise Http404()
        made: list[Any] = []
        if attempt(request, form, lambda: made.append(create(form.cleaned_data)), success):
            return page_of(made[0])
    return form
