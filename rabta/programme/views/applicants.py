"""The applicant's pages: the open cohorts, and one page per cohort that is the form while
drafting, then the status, the offer and (once seated) the timetable and certificate."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.core.actions import Actions, apply_domain_error, dispatch
from rabta.core.errors import DomainError
from rabta.core.http import posted, request_user
from rabta.programme import selectors, services
from rabta.programme.forms import ApplicationForm
from rabta.programme.models import Application, ApplicationState, Cohort
from rabta.programme.views.common import said


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    cohorts = list(selectors.cohort_list_open())
    mine = {a.cohort_id: a for a in selectors.application_list_for_user(user=user)}
    return render(
        request, "programme/cohort_list.html", {"rows": [(c, mine.get(c.pk)) for c in cohorts]}
    )


@login_required
def my_cohorts(request: HttpRequest) -> HttpResponse:
    """Every cohort the person applied to, past and present: status, sessions with their
    attendance and outage reports, and the certificate."""
    user: User = request_user(request)
    return render(
        request,
        "programme/my_cohorts.html",
        {"rows": selectors.participation_list_for_user(user=user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, slug: str) -> HttpResponse:
    """The applicant's one page for a cohort: the form while drafting, then their status,
    position and offer."""
    user: User = request_user(request)
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
    current = selectors.application_for_user(user=user, cohort=cohort)
    answers = (
        {name: getattr(current, name) for name in services.APPLICATION_FIELDS} if current else {}
    )
    form = ApplicationForm(
        posted(request), initial={"idempotency_key": uuid.uuid4().hex, **answers}
    )
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action == "draft" and request.htmx:  # type: ignore[attr-defined]
            return _draft_autosave(form, user, cohort)
        actions = _application_actions(form, user, cohort, current)
        if dispatch(request, action, actions, drafts={"submit": "application"}):
            return redirect("programme:application", slug=slug)
    return render(
        request, "programme/application.html", _page(request, user, cohort, current, form)
    )


def _draft_autosave(form: ApplicationForm, user: User, cohort: Cohort) -> HttpResponse:
    """htmx saves the draft as the person types: the answer is a line of status text for the
    form, never a page or a message for later."""
    if form.is_valid():
        try:
            services.application_draft_save(user=user, cohort=cohort, data=form.answers())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return HttpResponse(_("Draft saved."))
    return HttpResponse(_("Not saved: check the form."), status=422)


def _application_actions(
    form: ApplicationForm, user: User, cohort: Cohort, current: Application | None
) -> Actions:
    submitted: dict[str, bool] = {}

    def submit() -> None:
        _app, submitted["created"] = services.application_submit(
            user=user,
            cohort_id=cohort.pk,
            data=form.answers(),
            idempotency_key=form.cleaned_data["idempotency_key"],
        )

    actions: Actions = {
        "draft": (
            form,
            lambda: services.application_draft_save(user=user, cohort=cohort, data=form.answers()),
            _("Draft saved."),
        ),
        "submit": (
            form,
            submit,
            said(
                lambda: (
                    _("Your application is submitted.")
                    if submitted.get("created")
                    else _("Your application was already submitted.")
                )
            ),
        ),
    }
    if current is not None:
        mine = current.pk
        actions["confirm"] = (
            None,
            lambda: services.offer_respond(user=user, application_id=mine, accept=True),
            _("Your seat is confirmed."),
        )
        actions["decline"] = (
            None,
            lambda: services.offer_respond(user=user, application_id=mine, accept=False),
            _("You declined the seat; it goes to the next person waiting."),
        )
        actions["withdraw"] = (
            None,
            lambda: services.application_withdraw(user=user, application_id=mine),
            _("Your application is withdrawn."),
        )
    return actions


def _page(
    request: HttpRequest,
    user: User,
    cohort: Cohort,
    current: Application | None,
    form: ApplicationForm,
) -> dict[str, Any]:
    submitted = current if current is not None and current.state != ApplicationState.DRAFT else None
    return {
        **_seated(request, current),
        "now": timezone.now(),
        "cohort": cohort,
        "application": submitted,
        "position": selectors.waitlist_position(application=submitted) if submitted else None,
        "reasons": [] if submitted else services.eligibility_reasons(user=user, cohort=cohort),
        "form": form,
    }


def _seated(request: HttpRequest, current: Application | None) -> dict[str, Any]:
    """What a confirmed participant sees: the timetable with their join links, attendance,
    the calendar feed and the certificate."""
    if current is None or current.state != ApplicationState.CONFIRMED:
        return {"timetable": [], "attendance": {}, "feed_url": "", "certificate": None}
    feed = reverse("programme:calendar_feed", args=[services.calendar_feed_token(current)])
    return {
        "timetable": selectors.sessions_for_participant(application=current),
        "attendance": selectors.attendance_by_session(application=current),
        "feed_url": request.build_absolute_uri(feed),
        "certificate": selectors.certificate_for_application(application=current),
    }
