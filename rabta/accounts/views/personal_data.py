"""The person's own data: download it, delete the account, and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rabta.accounts import selectors, services
from rabta.accounts.forms import ApiTokenForm, DeleteAccountForm
from rabta.accounts.models import ApiToken, User
from rabta.core.actions import Actions, attempt, dispatch
from rabta.core.errors import NotFound
from rabta.core.http import posted, request_user


@login_required
@require_http_methods(["GET", "POST"])
def privacy(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = DeleteAccountForm(posted(request))

    def delete() -> None:
        services.user_delete(user=user, password=form.cleaned_data["password"])
        logout(request)

    if request.method == "POST" and attempt(
        request, form, delete, _("Your account and profiles have been deleted.")
    ):
        return redirect("home")
    return render(
        request,
        "accounts/privacy.html",
        {"form": form, "job": selectors.data_export_job(user=user)},
    )


@login_required
@require_POST
def data_export(request: HttpRequest) -> HttpResponse:
    """The download is prepared in the background (it grows with what a person has done); the
    privacy page follows it and offers the file, to this person alone, for a day."""
    services.user_data_export_start(user=request_user(request))
    messages.success(request, _("Your data is being gathered: the download appears below."))
    return redirect("accounts:privacy")


def _own_token(user: User, raw_id: str) -> ApiToken:
    try:
        token_id = int(raw_id)
    except ValueError:
        raise NotFound() from None
    return selectors.api_token_get_for_user(user=user, token_id=token_id)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = ApiTokenForm(posted(request))
    made: list[tuple[ApiToken, str]] = []
    if request.method == "POST":
        actions: Actions = {
            "revoke": (
                None,
                lambda: services.api_token_revoke(token=_own_token(user, request.POST["revoke"])),
                _("Token revoked."),
            ),
            "create": (
                form,
                lambda: made.append(
                    services.api_token_create(user=user, name=form.cleaned_data["name"])
                ),
                _("Saved."),
            ),
        }
        done = dispatch(request, "revoke" if "revoke" in request.POST else "create", actions)
        if made:
            form = ApiTokenForm()  # the key is shown on this page, once: no redirect
        elif done:
            return redirect("accounts:api_tokens")
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_key": made[0][1] if made else None,
            "tokens": selectors.api_token_list_for_user(user=user),
        },
    )
