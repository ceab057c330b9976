"""The community's hub (a person's handle, chapters, forums and coming events) and member
pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.community import forms as cf
from rabta.community import selectors, services
from rabta.core.actions import attempt
from rabta.core.http import posted, request_user


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    member = services.member_ensure(user=user)
    form = cf.HandleForm(posted(request), initial={"handle": member.handle})
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: services.handle_change(user=user, handle=form.cleaned_data["handle"]),
        _("Your handle is saved."),
    ):
        return redirect("community:home")
    context = {
        "member": member,
        "form": form,
        "memberships": list(selectors.memberships_for_user(user=user)),
        "categories": list(selectors.categories_for_user(user=user)),
        "events": list(selectors.events_coming(user=user)),
        "ban": selectors.active_ban(user),
        "is_moderator": selectors.is_moderator(user),
        "reviews": selectors.reviews_nominations(user),
        "honours_waiting": selectors.honours_awaiting_consent(user=user),
    }
    return render(request, "community/home.html", context)


@login_required
def member(request: HttpRequest, handle: str) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.member_get(handle=handle)
    moderator = selectors.is_moderator(user)
    context = {
        "found": found,
        "chapters": selectors.memberships_listed(user=found.user),
        "posts": selectors.posts_by(user=user, author=found.user),
        "honours": selectors.honours_of(user=found.user),
        "is_moderator": moderator,
        "ban": selectors.active_ban(found.user) if moderator else None,
    }
    return render(request, "community/member.html", context)
