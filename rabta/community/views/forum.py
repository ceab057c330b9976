"""Forum pages: the forums, one forum (starting discussions, watching it), a discussion
(replying, watching, locking, moving), the actions on one post, editing a post, and search."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.community import forms as cf
from rabta.community import presenters, selectors, services
from rabta.community.models import FlagReason, Post, Thread
from rabta.community.views.shared import switch
from rabta.core.actions import Actions, attempt, dispatch
from rabta.core.http import posted, request_user


@login_required
def forums(request: HttpRequest) -> HttpResponse:
    categories = list(selectors.categories_for_user(user=request_user(request)))
    context = {
        "sectors": [c for c in categories if c.chapter_id is None],
        "chapters": [c for c in categories if c.chapter_id is not None],
    }
    return render(request, "community/forums.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def category(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.category_get_for_user(user=user, slug=slug)
    action = request.POST.get("action", "")
    form = cf.ThreadForm(posted(request) if action == "thread" else None)
    if request.method == "POST":
        started: dict[str, Thread] = {}

        def start() -> None:
            started["thread"] = services.thread_create(
                user=user, category=found, **form.cleaned_data
            )

        actions: Actions = {
            "thread": (form, start, _("Your discussion is posted.")),
            **switch(
                "watch",
                "unwatch",
                lambda on: services.category_watch_set(user=user, category=found, on=on),
                _("You will be told about new discussions here."),
                _("You will not be told about new discussions here."),
            ),
        }
        if dispatch(request, action, actions, drafts={"thread": f"thread-{found.pk}"}):
            if "thread" in started:
                return redirect("community:thread", started["thread"].pk)
            return redirect("community:category", found.slug)
    page = Paginator(selectors.threads_in(user=user, category=found), selectors.THREADS_PER_PAGE)
    context = {
        "category": found,
        "page": page.get_page(request.GET.get("page")),
        "form": form,
        "watching": selectors.watches_category(user=user, category=found),
        "ban": selectors.active_ban(user),
    }
    return render(request, "community/category.html", context)


def _thread_actions(
    user: User,
    thread: Thread,
    reply_form: cf.ReplyForm,
    lock_form: cf.ReasonForm,
    move_form: cf.MoveForm | None,
    replied: dict[str, Any],
) -> Actions:
    def reply() -> None:
        replied["post"] = services.reply_create(user=user, thread=thread, **reply_form.cleaned_data)

    def lock(locked: bool) -> None:
        services.thread_lock_set(
            moderator=user, thread=thread, locked=locked, reason=lock_form.cleaned_data["reason"]
        )

    actions: Actions = {
        "reply": (reply_form, reply, _("Your reply is posted.")),
        **switch(
            "subscribe",
            "unsubscribe",
            lambda on: services.subscription_set(user=user, thread=thread, on=on),
            _("You will be told about replies."),
            _("You will not be told about replies."),
        ),
        "lock": (lock_form, lambda: lock(True), _("The discussion is locked.")),
        "unlock": (lock_form, lambda: lock(False), _("The discussion is open again.")),
    }
    if move_form is not None:
        form = move_form

        def move() -> None:
            services.thread_move(
                moderator=user,
                thread=thread,
                category=selectors.category_get(category_id=form.cleaned_data["category"]),
                reason=form.cleaned_data["reason"],
            )

        actions["move"] = (move_form, move, _("The discussion is moved."))
    return actions


def _move_form(user: User, thread: Thread, data: Any) -> cf.MoveForm | None:
    """Moving a discussion to another forum: for moderators only."""
    if not selectors.is_moderator(user):
        return None
    targets = [(c.pk, c.name) for c in selectors.move_targets(thread=thread)]
    return cf.MoveForm(data, categories=targets)


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.thread_get_for_user(user=user, thread_id=thread_id)
    action = request.POST.get("action", "")
    data = posted(request)
    reply_form = cf.ReplyForm(data if action == "reply" else None)
    lock_form = cf.ReasonForm(data if action in ("lock", "unlock") else None)
    move_form = _move_form(user, found, data if action == "move" else None)
    if request.method == "POST":
        replied: dict[str, Any] = {}
        actions = _thread_actions(user, found, reply_form, lock_form, move_form, replied)
        if dispatch(request, action, actions, drafts={"reply": f"reply-{found.pk}"}):
            if "post" in replied:
                return redirect(presenters.post_url(replied["post"]))
            return redirect("community:thread", found.pk)
    posts = Paginator(selectors.thread_posts(thread=found), selectors.POSTS_PER_PAGE)
    solution = found.solution if found.solution_id else None
    context = {
        "thread": found,
        "page": posts.get_page(request.GET.get("page")),
        "reply_form": reply_form,
        "lock_form": lock_form,
        "move_form": move_form,
        "moderates": selectors.can_moderate(user, found.category),
        "subscribed": selectors.is_subscribed(user=user, thread=found),
        "ban": selectors.active_ban(user),
        **_post_labels(request, found, user),
        "solution": solution if solution is not None and not solution.hidden_at else None,
    }
    return render(request, "community/thread.html", context)


def _post_labels(request: HttpRequest, thread: Thread, user: User) -> dict[str, Any]:
    """What every post of a page repeats, made once: translated labels, the flag reasons and
    the CSRF field.  A page of 50 posts renders several times faster than with a form and a
    URL lookup per post."""
    options = format_html_join(
        "", '<option value="{}">{}</option>', ((k, v) for k, v in FlagReason.choices)
    )
    return {
        "viewer_id": user.pk,
        "may_choose": thread.author_id == user.pk or selectors.is_moderator(user),
        "members_url": reverse("community:home") + "members/",
        "posts_url": reverse("community:home") + "posts/",
        "csrf_field": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        ),
        "flag_options": options,
        "new_label": _("new member"),
        "edited_label": _("edited"),
        "hidden_label": _("This post was hidden by a moderator."),
        "flag_label": _("Flag"),
        "why_label": _("Why?"),
        "note_label": _("Note for the moderators (optional)"),
        "flag_button": _("Flag for the moderators"),
        "reason_label": _("Reason (the person affected will read it)"),
    }


def _post_actions(
    user: User, post: Post, flag_form: cf.FlagForm, reason_form: cf.ReasonForm
) -> Actions:
    def reason() -> str:
        return str(reason_form.cleaned_data["reason"])

    return {
        "flag": (
            flag_form,
            lambda: services.flag_create(user=user, post=post, **flag_form.cleaned_data),
            _("Thank you: the moderators will look at it."),
        ),
        "hide": (
            reason_form,
            lambda: services.post_hide(moderator=user, post=post, reason=reason()),
            _("The post is hidden."),
        ),
        "unhide": (
            reason_form,
            lambda: services.post_unhide(moderator=user, post=post, reason=reason()),
            _("The post is shown again."),
        ),
        "dismiss": (
            reason_form,
            lambda: services.flags_dismiss(moderator=user, post=post, reason=reason()),
            _("The flags are dismissed."),
        ),
        **switch(
            "solution",
            "unsolution",
            lambda solved: services.solution_set(user=user, post=post, solved=solved),
            _("Marked as the answer."),
            _("No answer is marked now."),
        ),
    }


@login_required
@require_http_methods(["POST"])
def post_action(request: HttpRequest, post_id: int) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.post_get_for_user(user=user, post_id=post_id)
    action = request.POST.get("action", "")
    data = posted(request)
    flag_form = cf.FlagForm(data if action == "flag" else None)
    reason_form = cf.ReasonForm(data if action in ("hide", "unhide", "dismiss") else None)
    if not dispatch(request, action, _post_actions(user, found, flag_form, reason_form)):
        # the post's actions are small forms inside the thread page: their errors are told
        # on the page the person goes back to
        for form in (flag_form, reason_form):
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
    if request.POST.get("next", "") == "moderation" and selectors.is_moderator(user):
        return redirect("community:moderation")
    return redirect(presenters.post_url(found))


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.post_get_for_author(user=user, post_id=post_id)
    form = cf.EditForm(posted(request), initial={"body": found.body})
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: services.post_edit(user=user, post=found, body=form.cleaned_data["body"]),
        _("Your post is saved."),
        clear=f"edit-{found.pk}",
    ):
        return redirect(presenters.post_url(found))
    return render(request, "community/post_edit.html", {"post": found, "form": form})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    user = request_user(request)
    results = list(selectors.search(user=user, query=query)) if query.strip() else []
    return render(request, "community/search.html", {"query": query, "results": results})
