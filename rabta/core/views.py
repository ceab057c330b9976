from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    from rabta.core.models import Notification
    from rabta.core.services import notifications_mark_read

    items = list(Notification.objects.filter(user_id=request.user.pk or 0)[:100])
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("core:inbox")
    return render(request, "core/inbox.html", {"items": items})
