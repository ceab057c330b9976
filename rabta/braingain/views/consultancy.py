"""An engagement's page: the contract both sign, milestones delivered and reviewed, meetings
about them (with links and calendar invites), payments recorded, the end of the work and the
ratings; and a milestone meeting in the calendar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.accounts.reference import time_zones
from rabta.braingain import forms as bg_forms
from rabta.braingain import presenters, selectors, services, states
from rabta.braingain.models import Engagement, EngagementStatus, MilestoneMeeting, SessionStatus
from rabta.braingain.views.common import bound_if, posted_id
from rabta.braingain.views.mentorships import feed_url
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
        # one form per milestone (to plan) and per meeting (to move); only the posted one is bound
        "meet_form": bg_forms.SessionForm(data, prefix=f"meet-{posted_id(request, 'milestone')}")
        if action == "meeting_schedule"
        else bg_forms.SessionForm(),
        "remeet_form": bg_forms.SessionForm(data, prefix=f"remeet-{posted_id(request, 'meeting')}")
        if action == "meeting_reschedule"
        else bg_forms.SessionForm(),
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


def _meeting_actions(request: HttpRequest, user: User, found: dict[str, forms.Form]) -> Actions:
    plan, move = found["meet_form"], found["remeet_form"]

    def meeting() -> int:
        return posted_id(request, "meeting")

    return {
        "meeting_schedule": (
            plan,
            lambda: services.milestone_meeting_schedule(
                user=user,
                milestone_id=posted_id(request, "milestone"),
                starts_at=plan.starts_at(),  # type: ignore[attr-defined]
                duration_minutes=plan.cleaned_data["duration_minutes"],
                agenda=plan.cleaned_data["agenda"],
                meeting_url=plan.cleaned_data["meeting_url"],
            ),
            _("Meeting planned. Both of you get the calendar invite by email."),
        ),
        "meeting_reschedule": (
            move,
            lambda: services.milestone_meeting_reschedule(
                user=user,
                meeting_id=meeting(),
                starts_at=move.starts_at(),  # type: ignore[attr-defined]
                duration_minutes=move.cleaned_data["duration_minutes"],
                agenda=move.cleaned_data["agenda"],
                meeting_url=move.cleaned_data["meeting_url"],
            ),
            _("Meeting changed. Both of you get the updated invite by email."),
        ),
        "meeting_cancel": (
            None,
            lambda: services.milestone_meeting_cancel(user=user, meeting_id=meeting()),
            _("Meeting cancelled. Both of you get the cancellation for your calendars."),
        ),
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
        **_meeting_actions(request, user, found),
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
    zone = selectors.user_zone(user)
    meets = engagement.status == EngagementStatus.ACTIVE and part in ("client", "consultant")
    context = {
        "engagement": engagement,
        "part": part,
        "milestones": _milestone_rows(engagement, part, zone, found, meets=meets),
        "can_meet": meets,
        "zone": zone.key,
        "time_zones": sorted(time_zones()) if meets else [],
        "feed_url": feed_url(request, user) if part != "staff" else "",
        "ratings": ratings,
        "rated": any(r.author_id == user.pk for r in ratings),
        "my_signature": getattr(engagement, f"{part}_signed_at", None),
        "engagement_actions": states.ENGAGEMENT.allowed(engagement.status, part),
        **found,
    }
    return render(request, "braingain/engagement.html", context)


def _milestone_rows(
    engagement: Engagement, part: str, zone: Any, found: dict[str, forms.Form], *, meets: bool
) -> list[dict[str, Any]]:
    """Each milestone with its deliveries, its meetings and the buttons the viewer's part may
    press (none outside the active work)."""
    active = engagement.status == EngagementStatus.ACTIVE
    meetings = selectors.engagement_meetings(engagement)
    plan = found["meet_form"]
    return [
        {
            "milestone": m,
            "deliverables": deliverables,
            "actions": states.MILESTONE.allowed(m.status, part) if active else [],
            "payments": states.PAYMENT.allowed(m.payment_status, part) if active else [],
            "meetings": [
                _meeting_row(meeting, part, zone, found["remeet_form"], meets=meets)
                for meeting in meetings.get(m.pk, [])
            ],
            "meet_form": plan
            if plan.prefix == f"meet-{m.pk}"
            else bg_forms.SessionForm(prefix=f"meet-{m.pk}", initial={"zone": zone.key}),
        }
        for m, deliverables in selectors.engagement_milestones(engagement)
    ]


def _meeting_row(
    meeting: MilestoneMeeting, part: str, zone: Any, moved: forms.Form, *, meets: bool
) -> dict[str, Any]:
    prefix = f"remeet-{meeting.pk}"
    planned = meeting.status == SessionStatus.PLANNED
    return {
        "meeting": meeting,
        "mine": presenters.local(meeting.starts_at, zone),
        "service": services.meeting_service(meeting.meeting_url),
        "planned": planned,
        "can_move": meets and planned,
        "can_cancel": planned and part in ("client", "consultant"),
        "move_form": moved
        if moved.prefix == prefix
        else bg_forms.SessionForm.for_meeting(meeting, zone, None, prefix),
    }


@login_required
def meeting_calendar(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A milestone meeting as a calendar file, for the engagement's two sides only."""
    meeting, part = selectors.milestone_meeting_get_for_user(
        user=request_user(request), meeting_id=meeting_id
    )
    if part not in ("client", "consultant"):
        raise Http404()
    response = HttpResponse(
        presenters.calendar_ics(
            [presenters.milestone_meeting_entry(meeting)], reader=request_user(request)
        ),
        content_type="text/calendar",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
