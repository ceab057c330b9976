"""A mentorship's page (agreement, sessions with their links, fit check, hours, the end), a
session in the calendar and each person's calendar feed, and the certificate of contribution
with its public verification page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.accounts.reference import time_zones
from rabta.braingain import forms as bg_forms
from rabta.braingain import presenters, selectors, services
from rabta.braingain.models import Mentorship, MentorshipStatus, SessionStatus
from rabta.braingain.views.common import bound_if, posted_id
from rabta.core.actions import Actions, dispatch, refuse
from rabta.core.emails import reading_as
from rabta.core.http import posted, request_user


def _forms(request: HttpRequest, mentorship: Mentorship, zone: str) -> dict[str, forms.Form]:
    """The page's forms, each bound only when its action was posted."""
    action = request.POST.get("action", "")
    data = posted(request)
    return {
        "agreement": bg_forms.AgreementForm(
            bound_if(action, "agreement", data),
            initial={
                "goals": mentorship.goals,
                "schedule": mentorship.schedule,
                "expectations": mentorship.expectations,
            },
        ),
        "schedule": bg_forms.SessionForm(
            bound_if(action, "schedule", data), initial={"zone": zone}
        ),
        # one per planned session, named by its id; only the posted one is bound
        "reschedule": bg_forms.SessionForm(
            data, prefix=f"reschedule-{posted_id(request, 'session')}"
        )
        if action == "reschedule"
        else bg_forms.SessionForm(),
        "hold": bg_forms.HoldForm(bound_if(action, "hold", data)),
        # prefixed: both have a comment field, and ids must stay unique on the page
        "feedback": bg_forms.FeedbackForm(bound_if(action, "feedback", data), prefix="feedback"),
        "fit": bg_forms.FitForm(bound_if(action, "fit", data), prefix="fit"),
        "time": bg_forms.TimeForm(bound_if(action, "time", data)),
        "end": bg_forms.ReasonForm(bound_if(action, "end", data)),
    }


def _session_actions(
    request: HttpRequest, user: User, mid: int, found: dict[str, forms.Form]
) -> Actions:
    def session() -> int:
        return posted_id(request, "session")

    schedule, hold, feedback = found["schedule"], found["hold"], found["feedback"]
    move = found["reschedule"]
    return {
        "schedule": (
            schedule,
            lambda: services.session_schedule(
                user=user,
                mentorship_id=mid,
                starts_at=schedule.starts_at(),  # type: ignore[attr-defined]
                duration_minutes=schedule.cleaned_data["duration_minutes"],
                agenda=schedule.cleaned_data["agenda"],
                meeting_url=schedule.cleaned_data["meeting_url"],
            ),
            _("Session planned. Both of you get the calendar invite by email."),
        ),
        "reschedule": (
            move,
            lambda: services.session_reschedule(
                user=user,
                session_id=session(),
                starts_at=move.starts_at(),  # type: ignore[attr-defined]
                duration_minutes=move.cleaned_data["duration_minutes"],
                agenda=move.cleaned_data["agenda"],
                meeting_url=move.cleaned_data["meeting_url"],
            ),
            _("Session changed. Both of you get the updated invite by email."),
        ),
        "hold": (
            hold,
            lambda: services.session_hold(
                user=user, session_id=session(), notes=hold.cleaned_data["notes"]
            ),
            _("Session logged."),
        ),
        "cancel_session": (
            None,
            lambda: services.session_cancel(user=user, session_id=session()),
            _("Session cancelled. Both of you get the cancellation for your calendars."),
        ),
        "feedback": (
            feedback,
            lambda: services.feedback_leave(
                user=user,
                session_id=session(),
                rating=feedback.cleaned_data["rating"],
                comment=feedback.cleaned_data["comment"],
            ),
            _("Thank you for the feedback."),
        ),
    }


def _mentorship_actions(
    request: HttpRequest, user: User, mid: int, found: dict[str, forms.Form]
) -> Actions:
    agreement, fit, time, end = found["agreement"], found["fit"], found["time"], found["end"]
    return {
        "agreement": (
            agreement,
            lambda: services.mentorship_agreement_update(
                user=user, mentorship_id=mid, **agreement.cleaned_data
            ),
            _("Saved. Both of you sign the agreement as it now reads."),
        ),
        "sign": (
            None,
            lambda: services.mentorship_sign(user=user, mentorship_id=mid),
            _("Signed."),
        ),
        **_session_actions(request, user, mid, found),
        "fit": (
            fit,
            lambda: services.fit_check_answer(
                user=user,
                mentorship_id=mid,
                answer=fit.cleaned_data["answer"],
                comment=fit.cleaned_data["comment"],
            ),
            _("Thank you for answering."),
        ),
        "time": (
            time,
            lambda: services.time_log(user=user, mentorship_id=mid, **time.cleaned_data),
            _("Hours logged."),
        ),
        "complete": (
            None,
            lambda: services.mentorship_complete(user=user, mentorship_id=mid),
            _("Completed. The certificate of contribution is ready."),
        ),
        "end": (
            end,
            lambda: services.mentorship_end(
                user=user,
                mentorship_id=mid,
                reason=end.cleaned_data["reason"],
                rematch=request.POST.get("rematch") == "1",
            ),
            _("Ended."),
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def mentorship_detail(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    user: User = request_user(request)
    mentorship, part = selectors.mentorship_get_for_user(user=user, mentorship_id=mentorship_id)
    zone = selectors.user_zone(user)
    found = _forms(request, mentorship, zone.key)
    mid = mentorship.pk
    if request.method == "POST":
        actions = _mentorship_actions(request, user, mid, found)
        if dispatch(request, request.POST.get("action", ""), actions):
            return redirect("braingain:mentorship", mid)
        mentorship, part = selectors.mentorship_get_for_user(user=user, mentorship_id=mid)
    checks = selectors.mentorship_fit_checks(mentorship)
    context = {
        "mentorship": mentorship,
        "part": part,
        "zone": zone.key,
        "sessions": _session_rows(request, user, mentorship, zone, found["reschedule"]),
        "feed_url": feed_url(request, user) if part != "staff" else "",
        "minutes": selectors.mentorship_minutes(mentorship),
        "time_entries": selectors.mentorship_time_entries(mentorship, limit=20),
        "fit_checks": checks,
        "answered_fit": any(c.author_id == user.pk for c in checks),
        "fit_open": mentorship.status == MentorshipStatus.ACTIVE
        and mentorship.fit_check_due is not None,
        "my_signature": mentorship.mentor_signed_at
        if part == "mentor"
        else mentorship.mentee_signed_at,
        "agreement_form": found["agreement"],
        "session_form": found["schedule"],
        "hold_form": found["hold"],
        "feedback_form": found["feedback"],
        "fit_form": found["fit"],
        "time_form": found["time"],
        "end_form": found["end"],
        "time_zones": sorted(time_zones()),
        "certificate_url": presenters.certificate_url(mentorship.certificate_code)
        if mentorship.certificate_code
        else "",
        "HELD": SessionStatus.HELD,
        "PLANNED": SessionStatus.PLANNED,
    }
    return render(request, "braingain/mentorship.html", context)


def _session_rows(
    request: HttpRequest, user: User, mentorship: Mentorship, zone: Any, moved: forms.Form
) -> list[dict[str, Any]]:
    """Each session at the viewer's time, Pakistan's and the mentor's, with its feedback, its
    link (and whether it is on a service we recognise) and the form that moves it."""
    mentor_zone = selectors.user_zone(mentorship.mentor)
    rows = []
    for s, feedback in selectors.mentorship_sessions(mentorship):
        prefix = f"reschedule-{s.pk}"
        rows.append(
            {
                "session": s,
                "mine": presenters.local(s.starts_at, zone),
                "pakistan": presenters.local(s.starts_at, selectors.PAKISTAN),
                "mentor_time": presenters.local(s.starts_at, mentor_zone),
                "feedback": feedback,
                "my_feedback": next((f for f in feedback if f.author_id == user.pk), None),
                "started": s.starts_at <= timezone.now(),
                "service": services.meeting_service(s.meeting_url),
                "move_form": moved
                if moved.prefix == prefix
                else bg_forms.SessionForm.for_meeting(s, zone, None, prefix),
            }
        )
    return rows


@login_required
@require_http_methods(["POST"])
def calendar_feed_reset(request: HttpRequest) -> HttpResponse:
    """A new secret address for the person's calendar feed; back to the page they were on."""
    user = request_user(request)
    refuse(
        request,
        lambda: services.calendar_feed_reset(user=user),
        _("Your calendar has a new address; the old one no longer works. Subscribe again."),
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("braingain:hub")
    return redirect(back + "#calendar-feed")


def feed_url(request: HttpRequest, user: User) -> str:
    """The address of ``user``'s own calendar feed, to subscribe to in a calendar app."""
    token = services.calendar_feed_token(user)
    return request.build_absolute_uri(reverse("braingain:calendar_feed", args=[token]))


@login_required
def session_calendar(request: HttpRequest, session_id: int) -> HttpResponse:
    session, part = selectors.session_get_for_user(
        user=request_user(request), session_id=session_id
    )
    if part not in ("mentor", "mentee"):
        raise Http404()  # the two people's own calendar file, not staff's
    response = HttpResponse(
        presenters.calendar_ics([presenters.session_entry(session)], reader=request_user(request)),
        content_type="text/calendar",
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's sessions and milestone meetings for calendar apps, which cannot sign in: the
    signed token in the address is the credential (a 404 when it is not one we signed), and it
    shows only that person's meetings."""
    user = selectors.calendar_feed_user(token)
    since = timezone.now() - selectors.CALENDAR_PAST
    with reading_as(user):
        entries = [
            *map(presenters.session_entry, selectors.calendar_sessions(user=user, since=since)),
            *map(
                presenters.milestone_meeting_entry,
                selectors.calendar_milestone_meetings(user=user, since=since),
            ),
        ]
        ics = presenters.calendar_ics(entries, reader=user, name=_("Brain Gain meetings"))
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
def certificate_download(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship, part = selectors.mentorship_get_for_user(
        user=request_user(request), mentorship_id=mentorship_id
    )
    if not mentorship.certificate_code or part not in ("mentor", "staff"):
        raise Http404()
    pdf = presenters.certificate_pdf(mentorship, selectors.mentorship_minutes(mentorship))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="contribution-{mentorship.certificate_code}.pdf"'
    )
    return response


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    mentorship = selectors.certificate_get(code=code)
    context = {
        "mentorship": mentorship,
        "code": code[:12],
        "hours": selectors.mentorship_minutes(mentorship) / 60 if mentorship else 0,
    }
    return render(
        request, "braingain/certificate_verify.html", context, status=200 if mentorship else 404
    )
