from __future__ import annotations

import csv
import secrets
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rabta.accounts.forms import apply_domain_error
from rabta.accounts.models import User
from rabta.accounts.reference import Province
from rabta.core.errors import DomainError, NotFound
from rabta.core.services import audit_record
from rabta.programme import selectors, services
from rabta.programme.forms import AllocationForm, ApplicationForm, CohortForm
from rabta.programme.models import AllocationRun, ApplicationState


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    cohorts = list(selectors.cohort_list_open())
    mine = {a.cohort_id: a for a in selectors.application_list_for_user(user=user)}
    return render(
        request, "programme/cohort_list.html", {"rows": [(c, mine.get(c.pk)) for c in cohorts]}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, slug: str) -> HttpResponse:
    """The applicant's one page for a cohort: the form while drafting, then their status,
    position and offer."""
    user: User = request.user  # type: ignore[assignment]
    try:
        cohort = selectors.cohort_get_by_slug(slug=slug)
    except NotFound:
        return _not_found(request)
    current = selectors.application_for_user(user=user, cohort=cohort)
    action = request.POST.get("action", "")
    form = ApplicationForm(
        request.POST or None,
        initial={
            "idempotency_key": uuid.uuid4().hex,
            **(
                {name: getattr(current, name) for name in services.APPLICATION_FIELDS}
                if current
                else {}
            ),
        },
    )
    if request.method == "POST":
        try:
            if action in ("draft", "submit"):
                if form.is_valid():
                    if action == "draft":
                        services.application_draft_save(
                            user=user, cohort=cohort, data=form.answers()
                        )
                        if request.htmx:  # type: ignore[attr-defined]
                            return HttpResponse(_("Draft saved."))
                        messages.success(request, _("Draft saved."))
                        return redirect("programme:application", slug=slug)
                    _app, created = services.application_submit(
                        user=user,
                        cohort_id=cohort.pk,
                        data=form.answers(),
                        idempotency_key=form.cleaned_data["idempotency_key"],
                    )
                    messages.success(
                        request,
                        _("Your application is submitted.")
                        if created
                        else _("Your application was already submitted."),
                        extra_tags="clear-application",
                    )
                    return redirect("programme:application", slug=slug)
            elif current is not None and action in ("confirm", "decline"):
                services.offer_respond(
                    user=user, application_id=current.pk, accept=action == "confirm"
                )
                return redirect("programme:application", slug=slug)
            elif current is not None and action == "withdraw":
                services.application_withdraw(user=user, application_id=current.pk)
                return redirect("programme:application", slug=slug)
        except DomainError as error:
            if action in ("draft", "submit"):
                apply_domain_error(form, error)
            else:
                messages.error(request, error.message)
                return redirect("programme:application", slug=slug)
        if request.htmx and action == "draft":  # type: ignore[attr-defined]
            return HttpResponse(_("Not saved: check the form."), status=422)
    submitted = current is not None and current.state != ApplicationState.DRAFT
    return render(
        request,
        "programme/application.html",
        {
            "cohort": cohort,
            "application": current if submitted else None,
            "position": selectors.waitlist_position(application=current) if submitted else None,
            "reasons": [] if submitted else services.eligibility_reasons(user=user, cohort=cohort),
            "form": form,
        },
    )


# --- staff ----------------------------------------------------------------------------------------

STAFF = "programme.view_application"


@login_required
@permission_required(STAFF, raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_cohorts(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_save(actor=request.user, data=form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("programme:staff_cohort", slug=cohort.slug)
    return render(
        request,
        "programme/staff_cohorts.html",
        {"cohorts": selectors.cohort_list_open(), "form": form},
    )


@login_required
@permission_required(STAFF, raise_exception=True)
def staff_cohort(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        cohort = selectors.cohort_get_by_slug(slug=slug)
        overview = selectors.cohort_overview(user=request.user, cohort=cohort)  # type: ignore[arg-type]
    except NotFound:
        return _not_found(request)
    peak = max((row["n"] for row in overview["per_hour"]), default=0)
    return render(
        request, "programme/staff_cohort.html", {"cohort": cohort, "o": overview, "peak": peak or 1}
    )


@login_required
@permission_required(STAFF, raise_exception=True)
def staff_applicants(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        cohort = selectors.cohort_get_by_slug(slug=slug)
    except NotFound:
        return _not_found(request)
    filters = {key: request.GET.get(key, "") for key in ("state", "province", "gender")}
    queryset = selectors.applicant_list_for_staff(
        user=user, filters={**filters, "cohort": cohort.slug}
    )
    if request.GET.get("format") == "csv":
        audit_record(actor=user, action="personal_data.exported", target=cohort, filters=filters)
        return _applicants_csv(queryset, cohort.slug)
    audit_record(actor=user, action="personal_data.listed", target=cohort, filters=filters)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
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


def _applicants_csv(queryset, slug: str) -> StreamingHttpResponse:  # type: ignore[no-untyped-def]
    writer = csv.writer(_Echo())
    header = [
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

    def rows():  # type: ignore[no-untyped-def]
        yield writer.writerow(header)
        for a in queryset.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    _csv_safe(v)
                    for v in (
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
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applicants-{slug}.csv"'
    return response


@login_required
@permission_required("programme.run_allocation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_allocation(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        cohort = selectors.cohort_get_by_slug(slug=slug)
    except NotFound:
        return _not_found(request)
    form = AllocationForm(request.POST or None, initial={"seed": secrets.randbelow(2**31)})
    run = None
    if request.method == "POST" and form.is_valid():
        try:
            run = services.allocation_run(
                actor=user,
                cohort_id=cohort.pk,
                seed=form.cleaned_data["seed"],
                commit=request.POST.get("commit") == "1",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if run.committed:
                messages.success(request, _("Allocation committed; offers are being sent."))
                return redirect("programme:staff_cohort", slug=slug)
    return render(
        request,
        "programme/staff_allocation.html",
        {
            "cohort": cohort,
            "form": form,
            "run": run,
            "committed": AllocationRun.objects.filter(cohort=cohort, committed=True).first(),
        },
    )


@login_required
@permission_required(STAFF, raise_exception=True)
@require_POST
def staff_expire_offers(request: HttpRequest) -> HttpResponse:
    expired = services.offers_expire()
    messages.success(request, _("%(n)d expired offers processed.") % {"n": expired})
    return redirect("programme:staff_cohorts")
