"""Running the live week: calendars, certificates and their public check, outage excuses, and
the staff page for sessions, groups, attendance and certificates."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.core.actions import Actions, attempt, dispatch
from rabta.core.errors import DomainError, ErrorCode, NotFound
from rabta.core.http import posted, request_user
from rabta.programme import selectors, services
from rabta.programme.forms import AttendanceImportForm, ExcuseForm, JoinLinkForm
from rabta.programme.models import Cohort
from rabta.programme.views.common import not_found, said

FILE_PROBLEMS_SHOWN = 20


@login_required
def calendar_download(request: HttpRequest, slug: str) -> HttpResponse:
    application = selectors.application_confirmed_for_user(user=request_user(request), slug=slug)
    if application is None:
        return not_found(request)
    response = HttpResponse(
        services.calendar_ics(application=application), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}.ics"'
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Subscribable feed for calendar apps, which cannot log in: the signed token in the URL
    is the credential, and it reveals only the sessions and the participant's own links."""
    try:
        application = selectors.application_for_feed_token(token)
    except NotFound:
        return not_found(request)
    return HttpResponse(
        services.calendar_ics(application=application), content_type="text/calendar; charset=utf-8"
    )


@login_required
def certificate_download(request: HttpRequest, slug: str) -> HttpResponse:
    application = selectors.application_confirmed_for_user(user=request_user(request), slug=slug)
    certificate = (
        selectors.certificate_for_application(application=application) if application else None
    )
    if certificate is None or certificate.revoked_at is not None:
        return not_found(request)
    response = HttpResponse(services.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_by_code(code=code)
    return render(
        request,
        "programme/certificate_verify.html",
        {"certificate": certificate, "code": code[:16]},
        status=200 if certificate else 404,
    )


@login_required
@require_http_methods(["GET", "POST"])
def excuse(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    user: User = request_user(request)
    application = selectors.application_confirmed_for_user(user=user, slug=slug)
    session = selectors.session_of_cohort(session_id=session_id, slug=slug) if application else None
    if application is None or session is None:
        return not_found(request)
    form = ExcuseForm(posted(request), questions=session.check_questions or [])
    if request.method == "POST":

        def report() -> None:
            services.excuse_report(
                user=user,
                session_id=session.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                answers=form.answers(),
            )

        if attempt(request, form, report, _("Thank you. Staff will review your absence.")):
            return redirect("programme:application", slug=slug)
    return render(
        request,
        "programme/excuse.html",
        {"form": form, "session": session, "cohort": application.cohort},
    )


# --- staff ----------------------------------------------------------------------------------------


@login_required
@permission_required("programme.change_cohort", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_sessions(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request_user(request)
    cohort = selectors.cohort_get_by_slug(slug=slug)  # NotFound answers 404
    shown: dict[str, Any] = {}
    if request.method == "POST":
        actions = _session_actions(request, user, cohort, shown)
        # an import shows what it read on the page; everything else goes back to it
        if dispatch(request, request.POST.get("action", ""), actions) and "result" not in shown:
            return redirect("programme:staff_sessions", slug=slug)
    return render(
        request,
        "programme/staff_sessions.html",
        {
            "cohort": cohort,
            **selectors.cohort_delivery(cohort=cohort),
            "result": shown.get("result"),
            "link_form": JoinLinkForm(),
            "import_form": AttendanceImportForm(),
        },
    )


def _posted_id(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST[name])
    except (KeyError, ValueError) as exc:
        raise DomainError(ErrorCode.VALIDATION_ERROR, _("Invalid request.")) from exc


def _session_actions(
    request: HttpRequest, user: User, cohort: Cohort, shown: dict[str, Any]
) -> Actions:
    def groups() -> None:
        shown["groups"] = services.groups_assign(actor=user, cohort_id=cohort.pk)

    def link() -> None:
        form = JoinLinkForm(request.POST)
        if not form.is_valid():
            raise DomainError(ErrorCode.VALIDATION_ERROR, _("Enter a group and a link."))
        services.join_link_set(
            actor=user,
            session_id=form.cleaned_data["session"],
            group_number=form.cleaned_data["group_number"],
            url=form.cleaned_data["url"],
        )

    def review(approve: bool) -> None:
        services.excuse_review(
            actor=user,
            excuse_id=_posted_id(request, "excuse"),
            approve=approve,
            note=request.POST.get("note", ""),
        )

    return {
        "timetable": (
            None,
            lambda: services.timetable_create(actor=user, cohort_id=cohort.pk),
            _("Timetable created."),
        ),
        "groups": (
            None,
            groups,
            said(lambda: _("Participants split into %(n)d groups.") % {"n": shown["groups"]}),
        ),
        "link": (None, link, _("Link saved.")),
        "import": (None, lambda: _attendance_import(request, user, shown), _("Attendance read.")),
        "approve": (None, lambda: review(True), _("The absence is approved.")),
        "reject": (None, lambda: review(False), _("The absence is rejected.")),
        "certificates": (
            None,
            lambda: services.certificates_issue_later(actor=user, cohort_id=cohort.pk),
            _("Certificates are being issued: follow the progress below."),
        ),
        "revoke": (
            None,
            lambda: services.certificate_revoke(
                actor=user, code=request.POST.get("code", ""), reason=request.POST.get("reason", "")
            ),
            _("Certificate revoked."),
        ),
    }


def _attendance_import(request: HttpRequest, user: User, shown: dict[str, Any]) -> None:
    """Import the uploaded report; a refusal lists the file's first problems with it."""
    form = AttendanceImportForm(request.POST, request.FILES)
    if not form.is_valid():
        raise DomainError(ErrorCode.IMPORT_INVALID, _("Choose a session and a file."))
    upload = form.cleaned_data["file"]
    if upload.size > services.IMPORT_MAX_BYTES:
        raise DomainError(ErrorCode.IMPORT_INVALID, _("The file is larger than 5 MB."))
    try:
        shown["result"] = services.attendance_import(
            actor=user,
            session_id=form.cleaned_data["session"],
            content=upload.read(),
            source=form.cleaned_data["source"],
        )
    except NotFound:
        raise
    except DomainError as error:
        problems = error.fields.get("file", [])[:FILE_PROBLEMS_SHOWN]
        raise DomainError(
            error.code, " ".join([error.message, *problems]), fields=error.fields
        ) from error
