"""Conversations between matched people: the inbox, a thread (read, post, poll for new
messages), an attachment, reporting a message, and the staff pages for reported threads.

The two small forms live here rather than in ``forms.py``: they belong to these pages only.
Every page works without JavaScript; with htmx the form posts in place and the thread asks for
new messages every half minute (an empty answer when there are none)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rabta.accounts.models import User
from rabta.braingain import selectors_conversations as readers
from rabta.braingain import services
from rabta.braingain.models import MESSAGE_MAX, Conversation
from rabta.braingain.selectors import STAFF_PERMISSION
from rabta.braingain.services.conversations import REPORT_MAX
from rabta.braingain.views.common import posted_id
from rabta.core.actions import dispatch
from rabta.core.errors import NotFound
from rabta.core.http import posted, request_user
from rabta.core.uploads import ACCEPTED, MAX_UPLOAD_BYTES

_TOO_BIG = gettext_lazy(
    "The file is larger than %(mb)d MB. Export a smaller version and try again."
)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=gettext_lazy("Attach a file (optional)"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG, WebP or PDF, up to %(mb)d MB.")
        % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded and uploaded.size > MAX_UPLOAD_BYTES:  # before reading it into memory
            raise forms.ValidationError(_TOO_BIG % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
        return uploaded


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong with this message?"),
        max_length=REPORT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _cursor(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if value >= 0 else None


def _thread_url(conversation_id: int) -> str:
    return reverse("braingain:conversation", args=[conversation_id])


@login_required
@require_GET
def conversations(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    rows = readers.conversation_list(user=user)
    return render(request, "braingain/conversations.html", {"rows": rows})


@login_required
@require_GET
def conversation_for(request: HttpRequest, match: str, match_id: int) -> HttpResponse:
    """From a mentorship's, engagement's or accepted request's page to its conversation."""
    user: User = request_user(request)
    conversation = services.conversation_open(user=user, match=match, match_id=match_id)
    return redirect(_thread_url(conversation.pk) + "#latest")


def _thread(
    request: HttpRequest, conversation: Conversation, form: MessageForm, **extra: Any
) -> dict[str, Any]:
    before = _cursor(request, "before") if request.method == "GET" else None
    page = readers.conversation_messages(conversation, before=before)
    return {
        "conversation": conversation,
        "page": page,
        "others": [m.user for m in page.members if m.user_id != request.user.pk],
        "before": before,
        "form": form,
        "thread_url": _thread_url(conversation.pk),
        "htmx": bool(request.htmx),  # type: ignore[attr-defined]
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user: User = request_user(request)
    conversation, _member = readers.conversation_get_for_user(
        user=user, conversation_id=conversation_id
    )
    form = MessageForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":

        def send() -> None:
            services.message_send(
                user=user,
                conversation_id=conversation.pk,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data.get("file"),
            )

        if dispatch(request, "send", {"send": (form, send, _("Sent."))}):
            if not request.htmx:  # type: ignore[attr-defined]
                return redirect(_thread_url(conversation.pk) + "#latest")
            form = MessageForm()
    after = _cursor(request, "after")
    if request.method == "GET" and request.htmx and after is not None:  # type: ignore[attr-defined]
        return _new_messages(request, user, conversation, after)
    services.conversation_read(user=user, conversation_id=conversation.pk)
    context = _thread(request, conversation, form)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "braingain/conversation_thread.html", context)
    return render(request, "braingain/conversation.html", context)


def _new_messages(
    request: HttpRequest, user: User, conversation: Conversation, after: int
) -> HttpResponse:
    """The polling answer: the messages after ``after`` and the next poll, or nothing (204)."""
    page = readers.conversation_messages(conversation, after=after)
    if not page.messages:
        return HttpResponse(status=204)
    services.conversation_read(user=user, conversation_id=conversation.pk)
    context = {
        "conversation": conversation,
        "page": page,
        "thread_url": _thread_url(conversation.pk),
    }
    return render(request, "braingain/conversation_new.html", context)


@login_required
@require_GET
def conversation_file(
    request: HttpRequest, conversation_id: int, message_id: int
) -> HttpResponseBase:
    """A message's attachment, to members (and staff on a reported thread, audited): always a
    download, never shown in the page's origin."""
    user: User = request_user(request)
    message = readers.message_get_for_reader(
        user=user, conversation_id=conversation_id, message_id=message_id
    )
    if not message.attachment:
        raise NotFound()
    try:
        opened = default_storage.open(str(message.attachment.name), "rb")
    except FileNotFoundError:
        raise NotFound() from None
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=message.attachment_name or "attachment",
        content_type=message.attachment_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"  # a shared phone keeps no copy
    return response


@login_required
@require_http_methods(["GET", "POST"])
def conversation_report(
    request: HttpRequest, conversation_id: int, message_id: int
) -> HttpResponse:
    user: User = request_user(request)
    message = readers.message_get_for_member(user=user, message_id=message_id)
    if message.conversation_id != conversation_id:
        raise NotFound()
    form = ReportForm(posted(request))
    if request.method == "POST":
        report = (
            form,
            lambda: services.message_report(
                user=user, message_id=message.pk, reason=form.cleaned_data["reason"]
            ),
            _("Reported. Programme staff will read the conversation and act on it."),
        )
        if dispatch(request, "report", {"report": report}):
            return redirect(_thread_url(conversation_id) + f"#m{message.pk}")
    return render(request, "braingain/conversation_report.html", {"message": message, "form": form})


# --- staff: reported conversations only ----------------------------------------------------------


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_GET
def staff_conversations(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    reported = readers.conversations_reported(user=user)
    return render(request, "braingain/conversations_staff.html", {"reported": reported})


@login_required
@permission_required(STAFF_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user: User = request_user(request)
    if request.method == "POST":
        resolve = (
            None,
            lambda: services.report_resolve(user=user, report_id=posted_id(request, "report")),
            _("Report resolved."),
        )
        dispatch(request, "resolve", {"resolve": resolve})
        return redirect("braingain:staff_conversations")
    conversation = readers.conversation_get_for_staff(user=user, conversation_id=conversation_id)
    before = _cursor(request, "before")
    reports = readers.conversation_reports(conversation)
    context = {
        "conversation": conversation,
        "page": readers.conversation_messages(conversation, before=before),
        "reports": reports,
        "reported_ids": {r.message_id for r in reports},
        "staff_view": True,
    }
    return render(request, "braingain/conversation_staff.html", context)
