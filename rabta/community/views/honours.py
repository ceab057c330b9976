"""The Hall of Fame: its public pages, nominating, the council's review and the nominee's
consent."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.accounts.reference import Sector
from rabta.community import forms as cf
from rabta.community import selectors, services
from rabta.community.models import HonourStatus
from rabta.core.actions import Actions, attempt, dispatch
from rabta.core.http import posted, request_user


def hall_of_fame(request: HttpRequest) -> HttpResponse:
    honours = list(selectors.honours_published())
    return render(request, "community/hall_of_fame.html", {"honours": honours})


def honour(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.honour_public(slug=slug)
    profile = getattr(found.user, "contributor_profile", None)
    context = {
        "honour": found,
        "record": selectors.contribution_record(user_id=found.user_id),
        "profile": profile,
        "sectors": [
            str(Sector(s).label) for s in (profile.sectors if profile else []) if s in Sector.values
        ],
    }
    return render(request, "community/honour.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = cf.NominationForm(
        posted(request), initial={"handle": request.GET.get("handle", "")[:30]}
    )
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: services.nomination_submit(user=user, **form.cleaned_data),
        _("Thank you. The council reviews every nomination."),
        clear="nomination",
    ):
        return redirect("community:hall_of_fame")
    context = {"form": form, "mine": selectors.nominations_by(user=user)}
    return render(request, "community/nominate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nominations_review(request: HttpRequest) -> HttpResponse:
    reviewer: User = request_user(request)
    if not selectors.reviews_nominations(reviewer):
        raise Http404()
    form = cf.DecisionForm(posted(request))
    if request.method == "POST":
        key = request.POST.get("nomination", "")
        if not key.isdigit():
            raise Http404()
        nomination = selectors.nomination_get_for_reviewer(user=reviewer, nomination_id=int(key))
        if attempt(
            request,
            form,
            lambda: services.nomination_decide(
                reviewer=reviewer, nomination=nomination, **form.cleaned_data
            ),
            _("The decision is recorded."),
        ):
            return redirect("community:nominations_review")
    waiting = selectors.nominations_waiting()
    context = {
        "waiting": [(n, selectors.contribution_record(user_id=n.nominee_id)) for n in waiting],
        "form": form,
        "awaiting": selectors.honours_awaiting(),
    }
    return render(request, "community/nominations_review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def honour_consent(request: HttpRequest, honour_id: int) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.honour_get_for_nominee(user=user, honour_id=honour_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        actions: Actions = {
            "agree": (
                None,
                lambda: services.honour_consent(user=user, honour=found, agree=True),
                _("Your Hall of Fame page is published."),
            ),
            "decline": (
                None,
                lambda: services.honour_consent(user=user, honour=found, agree=False),
                _("Nothing will be published."),
            ),
        }
        dispatch(request, action, actions)
        answered = selectors.honour_get_for_nominee(user=user, honour_id=found.pk)
        if action == "agree" and answered.status == HonourStatus.PUBLISHED:
            return redirect("community:honour", answered.slug)
        return redirect("community:honour_consent", found.pk)
    context = {"honour": found, "record": selectors.contribution_record(user_id=user.pk)}
    return render(request, "community/honour_consent.html", context)
