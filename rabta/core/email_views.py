"""Pages about email: the one-click unsubscribe every message links to, and the staff page of
delivery records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from rabta.core import preferences, selectors
from rabta.core.emails import reading_as
from rabta.core.http import request_user
from rabta.core.kinds import kinds
from rabta.core.models import Email
from rabta.core.services import audit_record

PER_PAGE = 50


@csrf_exempt  # RFC 8058: a mail client posts "List-Unsubscribe=One-Click" without a form
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button and changes nothing (mail scanners follow links); POST turns off
    the email of the kind the signed token names.  No sign-in: the token is the permission."""
    found = preferences.unsubscribe_read(token)
    if found is None:
        return render(request, "core/unsubscribe.html", {"invalid": True}, status=400)
    user, kind = found
    with reading_as(user):
        if request.method == "POST":
            turned_off = preferences.unsubscribe(user=user, kind=kind)
            context: dict[str, Any] = {"done": True, "kinds": [k.label for k in turned_off]}
        else:
            context = {"label": _label(kind)}
        context["digest"] = kind == preferences.DIGEST
        return render(request, "core/unsubscribe.html", context)


def _label(kind: str) -> Any:
    if kind == preferences.DIGEST:
        return _("the daily and weekly digests")
    return next(declared.label for declared in kinds() if declared.key == kind)


@login_required
@permission_required("core.view_email", raise_exception=True)
@require_GET
def emails_page(request: HttpRequest) -> HttpResponse:
    """Staff see how delivery goes: each email's person, kind, subject, state and error."""
    state = request.GET.get("state", "")
    if state not in Email.State.values:
        state = ""
    page = Paginator(selectors.email_list(state=state), PER_PAGE).get_page(request.GET.get("page"))
    audit_record(
        actor=request_user(request),
        action="personal_data.listed",
        list="emails",
        state=state,
        page=page.number,
    )
    labels = {declared.key: declared.label for declared in kinds()}
    labels[preferences.DIGEST] = _("Digest")
    rows = [(email, labels.get(email.kind, email.kind)) for email in page]
    return render(
        request,
        "core/emails.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": Email.State.choices,
            "counts": selectors.email_counts(),
        },
    )
