from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rabta.core import selectors
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
