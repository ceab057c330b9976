from __future__ import annotations

import csv
import secrets
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rabta.accounts.models import User
from rabta.accounts.reference import Province
from rabta.core.actions import apply_domain_error
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.services import audit_record
from rabta.core.tasks import task_enqueue
from rabta.profiling.models import Assessment, AssessmentState
from rabta.programme import attendance, certificates, selectors, services, sessions
from rabta.programme.forms import (
    AllocationForm,
    ApplicationForm,
    AttendanceImportForm,
    CohortForm,
    ExcuseForm,
    JoinLinkForm,
)
from rabta.programme.models import (
    AllocationRun,
    Application,
    ApplicationState,
    Certificate,
    Excuse,
    ExcuseState,
    LiveSession,
)
from rabta.programme.tasks import certificates_issue_task


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
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
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
    confirmed = current is not None and current.state == ApplicationState.CONFIRMED
    return render(
        request,
        "programme/application.html",
        {
            "timetable": sessions.sessions_for_participant(application=current)
            if confirmed and current
            else [],
            "attendance": dict(current.attendance.values_list("session_id", "present"))
            if confirmed and current
            else {},
            "feed_url": request.build_absolute_uri(
                reverse("programme:calendar_feed", args=[sessions.calendar_feed_token(current)])
            )
            if confirmed and current
            else "",
            "certificate": Certificate.objects.filter(application=current).first()
            if confirmed
            else None,
            "now": timezone.now(),
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
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
    overview = selectors.cohort_overview(user=request.user, cohort=cohort)  # type: ignore[arg-type]
    peak = max((row["n"] for row in overview["per_hour"]), default=0)
    return render(
        request, "programme/staff_cohort.html", {"cohort": cohort, "o": overview, "peak": peak or 1}
    )


@login_required
@permission_required(STAFF, raise_exception=True)
def staff_applicants(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
    filters = {key: request.GET.get(key, "") for key in ("state", "province", "gender")}
    queryset = selectors.applicant_list_for_staff(
        user=user, filters={**filters, "cohort": cohort.slug}
    )
    if request.GET.get("format") == "csv":
        audit_record(actor=user, action="personal_data.exported", target=cohort, filters=filters)
        return _applicants_csv(queryset, cohort.slug)
    audit_record(actor=user, action="personal_data.listed", target=cohort, filters=filters)
    assessed = Assessment.objects.filter(
        user_id=OuterRef("user_id"), state=AssessmentState.COMPLETED
    )
    page = Paginator(queryset.annotate(assessed=Exists(assessed)), 50).get_page(
        request.GET.get("page")
    )
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
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
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


# --- sessions, attendance, certificates: participants ------------------------------------------


def _own_confirmed(user: User, slug: str) -> Application | None:
    return (
        Application.objects.select_related("cohort", "user")
        .filter(cohort__slug=slug, user=user, state=ApplicationState.CONFIRMED)
        .first()
    )


@login_required
def calendar_download(request: HttpRequest, slug: str) -> HttpResponse:
    application = _own_confirmed(request.user, slug)  # type: ignore[arg-type]
    if application is None:
        return _not_found(request)
    response = HttpResponse(
        sessions.calendar_ics(application=application), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}.ics"'
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Subscribable feed for calendar apps, which cannot log in: the signed token in the URL
    is the credential, and it reveals only the sessions and the participant's own links."""
    try:
        application = sessions.calendar_feed_application(token)
    except NotFound:
        return _not_found(request)
    return HttpResponse(
        sessions.calendar_ics(application=application), content_type="text/calendar; charset=utf-8"
    )


@login_required
def certificate_download(request: HttpRequest, slug: str) -> HttpResponse:
    application = _own_confirmed(request.user, slug)  # type: ignore[arg-type]
    certificate = getattr(application, "certificate", None) if application else None
    if certificate is None or certificate.revoked_at is not None:
        return _not_found(request)
    response = HttpResponse(
        certificates.certificate_pdf(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    certificate = (
        Certificate.objects.select_related("application__user", "application__cohort")
        .filter(code=code.upper()[:16])
        .first()
    )
    return render(
        request,
        "programme/certificate_verify.html",
        {"certificate": certificate, "code": code[:16]},
        status=200 if certificate else 404,
    )


@login_required
@require_http_methods(["GET", "POST"])
def excuse(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    application = _own_confirmed(user, slug)
    session = (
        LiveSession.objects.filter(pk=session_id, cohort__slug=slug).first()
        if application
        else None
    )
    if session is None:
        return _not_found(request)
    form = ExcuseForm(request.POST or None, questions=session.check_questions or [])
    if request.method == "POST" and form.is_valid():
        try:
            attendance.excuse_report(
                user=user,
                session_id=session.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                answers=form.answers(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Thank you. Staff will review your absence."))
            return redirect("programme:application", slug=slug)
    return render(
        request,
        "programme/excuse.html",
        {"form": form, "session": session, "cohort": application.cohort},
    )


# --- sessions, attendance, certificates: staff ---------------------------------------------------


@login_required
@permission_required("programme.change_cohort", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_sessions(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
    action = request.POST.get("action", "")
    result = None
    if request.method == "POST":
        try:
            if action == "timetable":
                sessions.timetable_create(actor=user, cohort_id=cohort.pk)
                messages.success(request, _("Timetable created."))
            elif action == "groups":
                count = sessions.groups_assign(actor=user, cohort_id=cohort.pk)
                messages.success(request, _("Participants split into %(n)d groups.") % {"n": count})
            elif action == "link":
                form = JoinLinkForm(request.POST)
                if not form.is_valid():
                    raise DomainError(ErrorCode.VALIDATION_ERROR, _("Enter a group and a link."))
                sessions.join_link_set(
                    actor=user,
                    session_id=form.cleaned_data["session"],
                    group_number=form.cleaned_data["group_number"],
                    url=form.cleaned_data["url"],
                )
                messages.success(request, _("Link saved."))
            elif action == "import":
                form = AttendanceImportForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise DomainError(ErrorCode.IMPORT_INVALID, _("Choose a session and a file."))
                upload = form.cleaned_data["file"]
                if upload.size > attendance.IMPORT_MAX_BYTES:
                    raise DomainError(ErrorCode.IMPORT_INVALID, _("The file is larger than 5 MB."))
                result = attendance.attendance_import(
                    actor=user,
                    session_id=form.cleaned_data["session"],
                    content=upload.read(),
                    source=form.cleaned_data["source"],
                )
            elif action in ("approve", "reject"):
                attendance.excuse_review(
                    actor=user,
                    excuse_id=int(request.POST["excuse"]),
                    approve=action == "approve",
                    note=request.POST.get("note", ""),
                )
            elif action == "certificates":
                task_enqueue(certificates_issue_task, cohort.pk)
                messages.success(request, _("Certificates are being issued."))
            elif action == "revoke":
                certificates.certificate_revoke(
                    actor=user,
                    code=request.POST.get("code", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Certificate revoked."))
        except (DomainError, ValueError, KeyError) as error:
            message = error.message if isinstance(error, DomainError) else _("Invalid request.")
            details = error.fields.get("file", []) if isinstance(error, DomainError) else []
            messages.error(request, " ".join([message, *details[:20]]))
        if result is None:
            return redirect("programme:staff_sessions", slug=slug)
    rows = list(
        cohort.sessions.annotate(
            present=Count("attendance", filter=Q(attendance__present=True))
        ).order_by("starts_at")
    )
    groups = (
        Application.objects.filter(cohort=cohort, state=ApplicationState.CONFIRMED)
        .values("group_number")
        .annotate(n=Count("pk"))
        .order_by("group_number")
    )
    return render(
        request,
        "programme/staff_sessions.html",
        {
            "cohort": cohort,
            "sessions": rows,
            "groups": groups,
            "result": result,
            "excuses": Excuse.objects.filter(
                session__cohort=cohort, state=ExcuseState.PENDING
            ).select_related("session", "application__user")[:200],
            "certificates": Certificate.objects.filter(application__cohort=cohort).count(),
            "link_form": JoinLinkForm(),
            "import_form": AttendanceImportForm(),
        },
    )
