"""Staff pages for running applications: cohorts, the overview, the applicant list (and its
audited export) and the fair allocation."""

from __future__ import annotations

import csv
import secrets
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rabta.accounts.models import User
from rabta.accounts.reference import Province
from rabta.core.actions import attempt, refuse
from rabta.core.http import posted, request_user
from rabta.core.services import audit_record
from rabta.programme import selectors, services
from rabta.programme.forms import AllocationForm, CohortForm
from rabta.programme.models import Application, ApplicationState, Cohort
from rabta.programme.views.common import said

STAFF = "programme.view_application"
APPLICANTS_PER_PAGE = 50
COHORTS_PER_PAGE = 25
CSV_HEADER = [
    "application_id",
    "name",
    "email",
    "state",
    "submitted_at",
    "province",
    "gender",
    "early_career",
    "hours_per_week",
    "employment",
    "lottery_rank",
    "reason",
]


@login_required
@permission_required(STAFF, raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_cohorts(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = CohortForm(posted(request))
    if request.method == "POST":
        saved: dict[str, Cohort] = {}

        def save() -> None:
            saved["cohort"] = services.cohort_save(actor=user, data=form.cleaned_data)

        # attempt is typed for forms.Form; a ModelForm shares everything it uses (BaseForm)
        if attempt(request, form, save, _("The cohort is saved.")):
            return redirect("programme:staff_cohort", slug=saved["cohort"].slug)
    listed = selectors.cohort_list_for_staff(user=user, phase=request.GET.get("phase", ""))
    page = Paginator(listed.cohorts, COHORTS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "programme/staff_cohorts.html",
        {
            "page": page,
            "rows": [(cohort, selectors.cohort_phase(cohort, now)) for cohort in page],
            "phase": listed.phase,
            "phases": [
                (value, label, listed.counts.get(value, 0))
                for value, label in selectors.CohortPhase.CHOICES
                if value in selectors.CohortPhase.FILTERS
            ],
            "phase_labels": dict(selectors.CohortPhase.CHOICES),
            "total": sum(listed.counts.values()),
            "form": form,
        },
    )


@login_required
@permission_required(STAFF, raise_exception=True)
def staff_cohort(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
    overview = selectors.cohort_overview(user=request_user(request), cohort=cohort)
    peak = max((row["n"] for row in overview["per_hour"]), default=0)
    return render(
        request, "programme/staff_cohort.html", {"cohort": cohort, "o": overview, "peak": peak or 1}
    )


@login_required
@permission_required(STAFF, raise_exception=True)
def staff_applicants(request: HttpRequest, slug: str) -> HttpResponseBase:
    user: User = request_user(request)
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
    filters = {key: request.GET.get(key, "") for key in ("state", "province", "gender")}
    scoped = {**filters, "cohort": cohort.slug}
    if request.GET.get("format") == "csv":
        audit_record(actor=user, action="personal_data.exported", target=cohort, filters=filters)
        return _applicants_csv(
            selectors.applicant_list_for_staff(user=user, filters=scoped), cohort.slug
        )
    audit_record(actor=user, action="personal_data.listed", target=cohort, filters=filters)
    page = Paginator(
        selectors.applicant_list_with_assessment(user=user, filters=scoped), APPLICANTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/staff_applicants.html",
        {
            "cohort": cohort,
            "page": page,
            "filters": filters,
            "states": ApplicationState.choices,
            "provinces": Province.choices,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_safe(value: object) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: quote it as text.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_row(a: Application) -> list[object]:
    return [
        a.pk,
        a.user.display_name,
        a.user.email,
        a.state,
        a.submitted_at.isoformat() if a.submitted_at else "",
        a.province,
        a.gender,
        a.early_career,
        a.hours_per_week,
        a.employment,
        a.lottery_rank,
        a.placement_reason,
    ]


def _applicants_csv(queryset: QuerySet[Application], slug: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows() -> Iterator[Any]:
        yield writer.writerow(CSV_HEADER)
        for application in queryset.iterator(chunk_size=2000):
            yield writer.writerow([_csv_safe(v) for v in _csv_row(application)])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applicants-{slug}.csv"'
    return response


@login_required
@permission_required("programme.run_allocation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_allocation(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request_user(request)
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
    run = selectors.allocation_run_get(cohort=cohort, raw=request.GET.get("run"))
    seed = run.seed if run is not None else secrets.randbelow(2**31)
    form = AllocationForm(posted(request), initial={"seed": seed})
    if request.method == "POST":
        commit = request.POST.get("commit") == "1"

        def start() -> None:
            services.allocation_start(
                actor=user, cohort_id=cohort.pk, seed=form.cleaned_data["seed"], commit=commit
            )

        success = (
            _("The allocation is running; offers are sent when it is done.")
            if commit
            else _("The dry run is running: nothing changes until you commit the same seed.")
        )
        if attempt(request, form, start, success):
            return redirect("programme:staff_allocation", slug=slug)
    return render(
        request,
        "programme/staff_allocation.html",
        {
            "cohort": cohort,
            "form": form,
            "run": run,
            "job": selectors.allocation_job(cohort=cohort),
            "committed": selectors.allocation_committed(cohort=cohort),
        },
    )


@login_required
@permission_required(STAFF, raise_exception=True)
@require_POST
def staff_expire_offers(request: HttpRequest) -> HttpResponse:
    expired: dict[str, int] = {}

    def expire() -> None:
        expired["n"] = services.offers_expire()

    refuse(request, expire, said(lambda: _("%(n)d expired offers processed.") % expired))
    return redirect("programme:staff_cohorts")
