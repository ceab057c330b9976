import io

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rabta.core import jobs, selectors
from rabta.core.actions import refuse
from rabta.core.http import request_user
from rabta.core.notifications import notifications_mark_read


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("core:inbox")
    return render(
        request, "core/inbox.html", {"items": selectors.notification_list(user=request.user)}
    )


@login_required
@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background job's progress: the whole page, or (asked by htmx while it runs) the
    progress box alone, which the page swaps in until the job is done."""
    shown = selectors.job_for(user=request_user(request), pk=pk)
    template = "core/_job.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, {"job": shown})


@login_required
@permission_required("core.view_job", raise_exception=True)
@require_GET
def jobs_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/jobs.html",
        {
            "schedule": selectors.schedule_overview(),
            "failed": selectors.jobs_failed(),
            "recent": selectors.jobs_recent(),
        },
    )


@login_required
@permission_required("core.retry_job", raise_exception=True)
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    failed = selectors.job_for(user=user, pk=pk)
    refuse(request, lambda: jobs.job_retry(failed, user=user), _("The job runs again."))
    return redirect("core:jobs")


@login_required
@require_GET
def job_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A job's file, for its starter alone.  A file that is gone (downloaded already, where
    the job's file is once-only, or past its day) answers 410 with a page that says so and
    offers to start the job again."""
    try:
        name, content = jobs.job_file_take(user=request_user(request), pk=pk)
    except jobs.FileGone as gone:
        origin = jobs.job_origin(gone.job.name)
        context = {"job": gone.job, "again_url": reverse(origin) if origin else ""}
        response: HttpResponseBase = render(request, "core/job_file_gone.html", context, status=410)
    else:
        body = io.BytesIO(content) if isinstance(content, bytes) else content
        response = FileResponse(body, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
