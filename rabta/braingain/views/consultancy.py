"""An engagement's page: the contract both sign, milestones delivered and reviewed, payments
recorded, the end of the work and the ratings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.braingain import forms as bg_forms
from rabta.braingain import selectors, services, states
from rabta.braingain.models import Engagement, EngagementStatus
from rabta.braingain.views.common import bound_if, posted_id
from rabta.core.actions import Actions, dispatch
from rabta.core.http import posted, request_user


def _forms(request: HttpRequest) -> dict[str, forms.Form]:
    action = request.POST.get("action", "")
    data = posted(request)
    return {
        "deliver_form": bg_forms.DeliverableForm(bound_if(action, "submit", data)),
        "review_form": bg_forms.ReviewForm(bound_if(action, "review", data)),
        "payment_form": bg_forms.PaymentForm(data if action in ("invoice", "mark_paid") else None),
        "rating_form": bg_forms.RatingForm(bound_if(action, "rate", data)),
        "cancel_form": bg_forms.ReasonForm(bound_if(action, "cancel", data)),
    }


def _milestone_actions(request: HttpRequest, user: User, found: dict[str, forms.Form]) -> Actions:
    deliver, review, payment_form = (
        found["deliver_form"],
        found["review_form"],
        found["payment_form"],
    )

    def milestone() -> int:
        return posted_id(request, "milestone")

    def payment(step: str) -> None:
        services.payment_record(
            user=user,
            milestone_id=milestone(),
            action=step,
            reference=payment_form.cleaned_data["reference"],
        )

    return {
        "submit": (
            deliver,
            lambda: services.milestone_submit(
                user=user,
                milestone_id=milestone(),
                note=deliver.cleaned_data["note"],
                link=deliver.cleaned_data["link"],
            ),
            _("Delivered for review."),
        ),
        "review": (
            review,
            lambda: services.milestone_review(
                user=user,
                milestone_id=milestone(),
                accept=review.cleaned_data["decision"] == "accept",
                note=review.cleaned_data["note"],
            ),
            _("Review saved."),
        ),
        "cancel_milestone": (
            None,
            lambda: services.milestone_cancel(user=user, milestone_id=milestone()),
            _("Milestone cancelled."),
        ),
        "invoice": (payment_form, lambda: payment("invoice"), _("Marked as invoiced.")),
        "mark_paid": (payment_form, lambda: payment("mark_paid"), _("Marked as paid.")),
    }


def _engagement_actions(
    request: HttpRequest, user: User, eid: int, found: dict[str, forms.Form]
) -> Actions:
    rating, cancel = found["rating_form"], found["cancel_form"]
    return {
        "sign": (
            None,
            lambda: services.engagement_sign(user=user, engagement_id=eid),
            _("Signed."),
        ),
        **_milestone_actions(request, user, found),
        "complete": (
            None,
            lambda: services.engagement_complete(user=user, engagement_id=eid),
            _("Completed. Please rate each other."),
        ),
        "cancel": (
            cancel,
            lambda: services.engagement_cancel(
                user=user, engagement_id=eid, reason=cancel.cleaned_data["reason"]
            ),
            _("Cancelled."),
        ),
        "rate": (
            rating,
            lambda: services.rating_leave(
                user=user,
                engagement_id=eid,
                stars=rating.cleaned_data["stars"],
                comment=rating.cleaned_data["comment"],
            ),
            _("Thank you for rating."),
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def engagement_detail(request: HttpRequest, engagement_id: int) -> HttpResponse:
    user: User = request_user(request)
    engagement, part = selectors.engagement_get_for_user(user=user, engagement_id=engagement_id)
    found = _forms(request)
    eid = engagement.pk
    if request.method == "POST":
        actions = _engagement_actions(request, user, eid, found)
        if dispatch(request, request.POST.get("action", ""), actions):
            return redirect("braingain:engagement", eid)
        engagement, part = selectors.engagement_get_for_user(user=user, engagement_id=eid)
    ratings = selectors.engagement_ratings(engagement)
    context = {
        "engagement": engagement,
        "part": part,
        "milestones": _milestone_rows(engagement, part),
        "ratings": ratings,
        "rated": any(r.author_id == user.pk for r in ratings),
        "my_signature": getattr(engagement, f"{part}_signed_at", None),
        "engagement_actions": states.ENGAGEMENT.allowed(engagement.status, part),
        **found,
    }
    return render(request, "braingain/engagement.html", context)


def _milestone_rows(engagement: Engagement, part: str) -> list[dict[str, Any]]:
    """Each milestone with its deliveries and the buttons the viewer's part may press (none
    outside the active work)."""
    active = engagement.status == EngagementStatus.ACTIVE
    return [
        {
            "milestone": m,
            "deliverables": deliverables,
            "actions": states.MILESTONE.allowed(m.status, part) if active else [],
            "payments": states.PAYMENT.allowed(m.payment_status, part) if active else [],
        }
        for m, deliverables in selectors.engagement_milestones(engagement)
    ]
