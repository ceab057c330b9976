"""The moderators' pages: the flag queue with the moderation log and current bans, and one
member's moderation (ban, lift, trust level).  Everyone else finds nothing here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.community import forms as cf
from rabta.community import selectors, services
from rabta.community.models import Ban, Member
from rabta.core.actions import Actions, dispatch
from rabta.core.errors import NotFound
from rabta.core.http import posted, request_user


def _moderator(request: HttpRequest) -> User:
    user: User = request_user(request)
    if not selectors.is_moderator(user):
        raise Http404()
    return user


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    context = {
        "flagged": selectors.flagged_posts(),
        "log": selectors.moderation_log(),
        "bans": selectors.bans_active(),
        "reason_form": cf.ReasonForm(),
    }
    return render(request, "community/moderation.html", context)


def _member_actions(
    moderator: User,
    found: Member,
    ban: Ban | None,
    ban_form: cf.BanForm,
    lift_form: cf.ReasonForm,
    trust_form: cf.TrustForm,
) -> Actions:
    def lift() -> None:
        if ban is None:
            raise NotFound()
        services.ban_lift(moderator=moderator, ban=ban, reason=lift_form.cleaned_data["reason"])

    return {
        "ban": (
            ban_form,
            lambda: services.user_ban(
                moderator=moderator, user=found.user, **ban_form.cleaned_data
            ),
            _("The member is banned and told why."),
        ),
        "lift": (lift_form, lift, _("The ban is lifted.")),
        "trust": (
            trust_form,
            lambda: services.trust_level_set(
                moderator=moderator, user=found.user, **trust_form.cleaned_data
            ),
            _("Saved."),
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def member_moderate(request: HttpRequest, handle: str) -> HttpResponse:
    moderator = _moderator(request)
    found = selectors.member_get(handle=handle)
    action = request.POST.get("action", "")
    data = posted(request)
    ban_form = cf.BanForm(data if action == "ban" else None)
    lift_form = cf.ReasonForm(data if action == "lift" else None)
    trust_form = cf.TrustForm(
        data if action == "trust" else None, initial={"level": found.trust_level}
    )
    ban = selectors.active_ban(found.user)
    if request.method == "POST":
        actions = _member_actions(moderator, found, ban, ban_form, lift_form, trust_form)
        if dispatch(request, action, actions):
            return redirect("community:member_moderate", found.handle)
    context = {
        "found": found,
        "ban": ban,
        "ban_form": ban_form,
        "lift_form": lift_form,
        "trust_form": trust_form,
        "history": selectors.bans_of(user=found.user),
        "log": selectors.moderation_log_about(user=found.user),
    }
    return render(request, "community/member_moderate.html", context)
