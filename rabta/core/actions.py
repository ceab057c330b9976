"""How an object page runs what was posted to it: GET shows the page, POST carries an ``action``
that calls one service; a refusal is shown on the form (or as a message) and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from rabta.core.errors import DomainError, NotFound


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the form, field by field."""
    shown = False
    for name, problems in error.fields.items():
        target = name if name in form.fields else None
        for message in problems:
            form.add_error(target, message)
            shown = True
    if not shown:
        form.add_error(None, error.message)


def attempt(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[], Any],
    success: str,
    *,
    clear: str = "",
) -> bool:
    """Run a service for a valid form; show its refusal on the form.  True when it worked.
    ``clear`` names the form's saved draft, forgotten once the save worked."""
    if not form.is_valid():
        return False
    try:
        call()
    except NotFound:
        raise
    except DomainError as error:
        apply_domain_error(form, error)
        messages.error(request, error.message)
        return False
    messages.success(request, success, extra_tags=f"clear-{clear}" if clear else "")
    return True


def refuse(request: HttpRequest, call: Callable[[], Any], success: str) -> None:
    """Run a form-less action (sign, solve, publish): success or the clear refusal."""
    try:
        call()
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return
    messages.success(request, success)


Actions = dict[str, tuple[forms.BaseForm | None, Callable[[], Any], str]]


def dispatch(
    request: HttpRequest, action: str, actions: Actions, *, drafts: dict[str, str] | None = None
) -> bool:
    """Run the posted action of a page.  True when the page should redirect (done, refused
    without a form, or unknown); False when a form has errors to show.  ``drafts`` names the
    saved draft each action's form keeps on the device, forgotten once the action worked."""
    if action not in actions:
        messages.error(request, _("That action does not exist."))
        return True
    form, call, success = actions[action]
    if form is None:
        refuse(request, call, success)
        return True
    return attempt(request, form, call, success, clear=(drafts or {}).get(action, ""))
