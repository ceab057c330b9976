"""Pages of the community.  Each object page is one view: GET shows it, POST carries an
``action`` that calls one service.  Every fetch goes through a selector scoped to the viewer;
only the Hall of Fame is public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.accounts.reference import Sector, time_zones
from rabta.braingain.selectors import user_zone
from rabta.community import forms as cf
from rabta.community import presenters, selectors, services
from rabta.community.models import (
    Ban,
    Call,
    CallStatus,
    Category,
    FlagReason,
    Honour,
    HonourStatus,
    Member,
    ModerationAction,
    Nomination,
    NominationStatus,
    Post,
    RsvpStatus,
    Thread,
)
from rabta.core.actions import Actions, attempt, dispatch
from rabta.core.errors import NotFound

PAKISTAN = ZoneInfo("Asia/Karachi")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _switch(
    on: str, off: str, set_to: Callable[[bool], Any], said_on: str, said_off: str
) -> Actions:
    """A pair of form-less actions that turn one thing on and off (follow, going)."""
    return {
        on: (None, lambda: set_to(True), said_on),
        off: (None, lambda: set_to(False), said_off),
    }


# --- hub and members -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    member = services.member_ensure(user=user)
    form = cf.HandleForm(_post(request), initial={"handle": member.handle})
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: services.handle_change(user=user, handle=form.cleaned_data["handle"]),
        _("Your handle is saved."),
    ):
        return redirect("community:home")
    memberships = list(selectors.memberships_for_user(user=user))
    context = {
        "member": member,
        "form": form,
        "memberships": memberships,
        "categories": list(selectors.categories_for_user(user=user)),
        "events": list(
            selectors.events_visible(user=user)
            .filter(starts_at__gte=timezone.now(), cancelled_at__isnull=True)
            .order_by("starts_at")[:8]
        ),
        "zone": user_zone(user),
        "ban": selectors.active_ban(user),
        "is_moderator": selectors.is_moderator(user),
        "reviews": selectors.reviews_nominations(user),
        "honours_waiting": Honour.objects.filter(user=user, status=HonourStatus.AWAITING_CONSENT),
    }
    return render(request, "community/home.html", context)


@login_required
def member(request: HttpRequest, handle: str) -> HttpResponse:
    user = _user(request)
    found = Member.objects.select_related("user").filter(handle__iexact=handle[:30]).first()
    if found is None:
        raise Http404()
    readable = selectors.categories_for_user(user=user)
    context = {
        "found": found,
        "chapters": selectors.memberships_for_user(user=found.user).filter(listed=True),
        "posts": list(
            Post.objects.filter(
                author=found.user,
                hidden_at__isnull=True,
                thread__hidden_at__isnull=True,
                thread__category__in=readable,
            )
            .select_related("thread")
            .order_by("-created_at")[:10]
        ),
        "honours": selectors.honours_published().filter(user=found.user),
        "is_moderator": selectors.is_moderator(user),
        "ban": selectors.active_ban(found.user) if selectors.is_moderator(user) else None,
    }
    return render(request, "community/member.html", context)


# --- chapters ------------------------------------------------------------------------------


def _list_with_opening(
    request: HttpRequest,
    *,
    allowed: bool,
    form_class: type[forms.Form],
    create: Callable[[dict[str, Any]], Any],
    success: str,
    page_of: Callable[[Any], HttpResponse],
) -> HttpResponse | forms.Form | None:
    """A list page whose staff may open a new one (a chapter, a call) from a form on it:
    the redirect to what was opened, or the form to show (None for everyone else)."""
    form = form_class(_post(request)) if allowed else None
    if request.method == "POST":
        if form is None:
            raise Http404()
        made: list[Any] = []
        if attempt(request, form, lambda: made.append(create(form.cleaned_data)), success):
            return page_of(made[0])
    return form


@login_required
@require_http_methods(["GET", "POST"])
def chapters(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _list_with_opening(
        request,
        allowed=selectors.manages_chapters(user),
        form_class=cf.ChapterForm,
        create=lambda data: services.chapter_open(actor=user, **data),
        success=_("The chapter is open; people living there join it."),
        page_of=lambda chapter: redirect("community:chapter", chapter.slug),
    )
    if isinstance(form, HttpResponse):
        return form
    mine = set(selectors.memberships_for_user(user=user).values_list("chapter_id", flat=True))
    context = {"chapters": list(selectors.chapter_list()), "mine": mine, "form": form}
    return render(request, "community/chapters.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def chapter(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    found = selectors.chapter_get(slug=slug)
    membership = selectors.membership_of(user=user, chapter=found)
    runs = selectors.manages_chapters(user) or selectors.is_lead(user=user, chapter=found)
    data = _post(request)
    event_form = cf.EventForm(data if request.POST.get("action") == "event" else None)
    lead_form = cf.LeadForm(data if request.POST.get("action") == "lead" else None)
    if request.method == "POST":
        holder: dict[str, Any] = {}

        def plan() -> None:
            holder["event"] = services.event_create(
                user=user, chapter=found, data=event_form.data_for_service()
            )

        actions: Actions = {
            "join": (
                None,
                lambda: services.chapter_join(user=user, chapter=found),
                _("Welcome to the chapter."),
            ),
            "leave": (
                None,
                lambda: services.chapter_leave(user=user, chapter=found),
                _("You left the chapter."),
            ),
            "list": (
                None,
                lambda: services.chapter_listing_set(
                    user=user, chapter=found, listed=request.POST.get("listed") == "1"
                ),
                _("Saved."),
            ),
            "event": (event_form, plan, _("The event is planned.")),
            "lead": (
                lead_form,
                lambda: services.chapter_lead_set(
                    actor=user, chapter=found, **lead_form.cleaned_data
                ),
                _("Saved."),
            ),
        }
        if dispatch(request, request.POST.get("action", ""), actions):
            if "event" in holder:
                return redirect("community:event", holder["event"].pk)
            return redirect("community:chapter", found.slug)
    zone = user_zone(user)
    context = {
        "chapter": found,
        "membership": membership,
        "runs": runs,
        "manages": selectors.manages_chapters(user),
        "leads": list(selectors.chapter_leads(chapter=found)),
        "listed": list(selectors.chapter_members_listed(chapter=found)[:200]),
        "events": list(
            selectors.events_visible(user=user, chapter=found)
            .filter(starts_at__gte=timezone.now() - timezone.timedelta(days=1))
            .order_by("starts_at")[:20]
        ),
        "threads": selectors.chapter_activity(user=user, chapter=found),
        "category": Category.objects.filter(chapter=found).first(),
        "event_form": event_form if runs else None,
        "lead_form": lead_form if selectors.manages_chapters(user) else None,
        "zone": zone,
        "time_zones": sorted(time_zones()) if runs else [],
    }
    return render(request, "community/chapter.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event(request: HttpRequest, event_id: int) -> HttpResponse:
    user = _user(request)
    found = selectors.event_get_for_user(user=user, event_id=event_id)
    runs = selectors.manages_chapters(user) or selectors.is_lead(user=user, chapter=found.chapter)
    cancel_form = cf.ReasonForm(_post(request) if request.POST.get("action") == "cancel" else None)
    if request.method == "POST":
        actions: Actions = {
            **_switch(
                "going",
                "not_going",
                lambda going: services.rsvp_set(user=user, event=found, going=going),
                _("Your answer is saved."),
                _("Your answer is saved."),
            ),
            "cancel": (
                cancel_form,
                lambda: services.event_cancel(
                    user=user, event=found, reason=cancel_form.cleaned_data["reason"]
                ),
                _("The event is cancelled and everyone going is told."),
            ),
        }
        if dispatch(request, request.POST.get("action", ""), actions):
            return redirect("community:event", found.pk)
    zone = user_zone(user)
    rsvp = selectors.rsvp_of(user=user, event=found)
    context = {
        "event": found,
        "rsvp": rsvp,
        "going": rsvp is not None and rsvp.status == RsvpStatus.GOING,
        "waiting": rsvp is not None and rsvp.status == RsvpStatus.WAITLIST,
        "times": presenters.event_times(found, zone),
        "see_location": selectors.may_see_location(user=user, event=found),
        "attendees": list(selectors.event_attendees(event=found)) if runs else None,
        "runs": runs,
        "cancel_form": cancel_form,
        "started": found.starts_at <= timezone.now(),
    }
    return render(request, "community/event.html", context)


@login_required
def event_calendar(request: HttpRequest, event_id: int) -> HttpResponse:
    found = selectors.event_get_for_user(user=_user(request), event_id=event_id)
    response = HttpResponse(presenters.event_ics(found), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="chapter-event-{found.pk}.ics"'
    return response


# --- forums --------------------------------------------------------------------------------


@login_required
def forums(request: HttpRequest) -> HttpResponse:
    categories = list(selectors.categories_for_user(user=_user(request)))
    context = {
        "sectors": [c for c in categories if c.chapter_id is None],
        "chapters": [c for c in categories if c.chapter_id is not None],
    }
    return render(request, "community/forums.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def category(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    found = selectors.category_get_for_user(user=user, slug=slug)
    form = cf.ThreadForm(_post(request) if request.POST.get("action") == "thread" else None)
    if request.method == "POST":
        holder: dict[str, Any] = {}

        def start() -> None:
            holder["thread"] = services.thread_create(
                user=user, category=found, **form.cleaned_data
            )

        actions: Actions = {
            "thread": (form, start, _("Your discussion is posted.")),
            **_switch(
                "watch",
                "unwatch",
                lambda on: services.category_watch_set(user=user, category=found, on=on),
                _("You will be told about new discussions here."),
                _("You will not be told about new discussions here."),
            ),
        }
        action = request.POST.get("action", "")
        if dispatch(request, action, actions, drafts={"thread": f"thread-{found.pk}"}):
            if "thread" in holder:
                return redirect("community:thread", holder["thread"].pk)
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


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, thread_id: int) -> HttpResponse:
    user = _user(request)
    found = selectors.thread_get_for_user(user=user, thread_id=thread_id)
    moderates = services.can_moderate(user, found.category)
    is_moderator = selectors.is_moderator(user)
    action = request.POST.get("action", "")
    data = _post(request)
    reply_form = cf.ReplyForm(data if action == "reply" else None)
    lock_form = cf.ReasonForm(data if action in ("lock", "unlock") else None)
    move_form = (
        cf.MoveForm(
            data if action == "move" else None,
            categories=[(c.pk, c.name) for c in Category.objects.exclude(pk=found.category_id)],
        )
        if is_moderator
        else None
    )
    if request.method == "POST":
        holder: dict[str, Any] = {}

        def reply() -> None:
            holder["post"] = services.reply_create(
                user=user, thread=found, **reply_form.cleaned_data
            )

        def move() -> None:
            assert move_form is not None
            target = Category.objects.filter(pk=move_form.cleaned_data["category"]).first()
            if target is None:
                raise NotFound()
            services.thread_move(
                moderator=user,
                thread=found,
                category=target,
                reason=move_form.cleaned_data["reason"],
            )

        actions: Actions = {
            "reply": (reply_form, reply, _("Your reply is posted.")),
            **_switch(
                "subscribe",
                "unsubscribe",
                lambda on: services.subscription_set(user=user, thread=found, on=on),
                _("You will be told about replies."),
                _("You will not be told about replies."),
            ),
            "lock": (
                lock_form,
                lambda: services.thread_lock_set(
                    moderator=user,
                    thread=found,
                    locked=True,
                    reason=lock_form.cleaned_data["reason"],
                ),
                _("The discussion is locked."),
            ),
            "unlock": (
                lock_form,
                lambda: services.thread_lock_set(
                    moderator=user,
                    thread=found,
                    locked=False,
                    reason=lock_form.cleaned_data["reason"],
                ),
                _("The discussion is open again."),
            ),
        }
        if move_form is not None:
            actions["move"] = (move_form, move, _("The discussion is moved."))
        if dispatch(request, action, actions, drafts={"reply": f"reply-{found.pk}"}):
            if "post" in holder:
                return redirect(presenters.post_url(holder["post"]))
            return redirect("community:thread", found.pk)
    posts = Paginator(selectors.thread_posts(thread=found), selectors.POSTS_PER_PAGE)
    number = request.GET.get("page")
    page = posts.get_page(number)
    context = {
        "thread": found,
        "page": page,
        "reply_form": reply_form,
        "lock_form": lock_form,
        "move_form": move_form,
        "moderates": moderates,
        "subscribed": selectors.is_subscribed(user=user, thread=found),
        "ban": selectors.active_ban(user),
        "zone": user_zone(user),
        **_post_labels(request, found, user),
        "solution": found.solution if found.solution_id and not found.solution.hidden_at else None,
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


@login_required
@require_http_methods(["POST"])
def post_action(request: HttpRequest, post_id: int) -> HttpResponse:
    user = _user(request)
    found = selectors.post_get_for_user(user=user, post_id=post_id)
    action = request.POST.get("action", "")
    flag_form = cf.FlagForm(request.POST if action == "flag" else None)
    reason_form = cf.ReasonForm(request.POST if action in ("hide", "unhide", "dismiss") else None)
    actions: Actions = {
        "flag": (
            flag_form,
            lambda: services.flag_create(user=user, post=found, **flag_form.cleaned_data),
            _("Thank you: the moderators will look at it."),
        ),
        "hide": (
            reason_form,
            lambda: services.post_hide(
                moderator=user, post=found, reason=reason_form.cleaned_data["reason"]
            ),
            _("The post is hidden."),
        ),
        "unhide": (
            reason_form,
            lambda: services.post_unhide(
                moderator=user, post=found, reason=reason_form.cleaned_data["reason"]
            ),
            _("The post is shown again."),
        ),
        "dismiss": (
            reason_form,
            lambda: services.flags_dismiss(
                moderator=user, post=found, reason=reason_form.cleaned_data["reason"]
            ),
            _("The flags are dismissed."),
        ),
        "solution": (
            None,
            lambda: services.solution_set(user=user, post=found, solved=True),
            _("Marked as the answer."),
        ),
        "unsolution": (
            None,
            lambda: services.solution_set(user=user, post=found, solved=False),
            _("No answer is marked now."),
        ),
    }
    if not dispatch(request, action, actions):
        for form in (flag_form, reason_form):
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    back = request.POST.get("next", "")
    if back == "moderation" and selectors.is_moderator(user):
        return redirect("community:moderation")
    return redirect(presenters.post_url(found))


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    user = _user(request)
    found = selectors.post_get_for_user(user=user, post_id=post_id)
    if found.author_id != user.pk:
        raise Http404()
    form = cf.EditForm(_post(request), initial={"body": found.body})
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
    results = list(selectors.search(user=_user(request), query=query)) if query.strip() else []
    return render(request, "community/search.html", {"query": query, "results": results})


# --- moderation ----------------------------------------------------------------------------


def _moderator(request: HttpRequest) -> User:
    user = _user(request)
    if not selectors.is_moderator(user):
        raise Http404()
    return user


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    context = {
        "flagged": list(selectors.flagged_posts()[:100]),
        "log": list(
            ModerationAction.objects.select_related("moderator", "thread", "target_user")[:50]
        ),
        "bans": list(
            Ban.objects.filter(lifted_at__isnull=True)
            .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))
            .select_related("user", "user__community_member")[:100]
        ),
        "reason_form": cf.ReasonForm(),
    }
    return render(request, "community/moderation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_moderate(request: HttpRequest, handle: str) -> HttpResponse:
    moderator = _moderator(request)
    found = Member.objects.select_related("user").filter(handle__iexact=handle[:30]).first()
    if found is None:
        raise Http404()
    action = request.POST.get("action", "")
    data = _post(request)
    ban_form = cf.BanForm(data if action == "ban" else None)
    lift_form = cf.ReasonForm(data if action == "lift" else None)
    trust_form = cf.TrustForm(
        data if action == "trust" else None, initial={"level": found.trust_level}
    )
    ban = selectors.active_ban(found.user)

    def lift() -> None:
        if ban is None:
            raise NotFound()
        services.ban_lift(moderator=moderator, ban=ban, reason=lift_form.cleaned_data["reason"])

    if request.method == "POST":
        actions: Actions = {
            "ban": (
                ban_form,
                lambda: services.user_ban(
                    moderator=moderator, user=found.user, **ban_form.cleaned_data
                ),
                _("The member is banned and told why."),
            ),
            "lift": (lift_form, lift, _("The ban is lifted.")),
            "trust": (
                trust_form,
                lambda: services.trust_level_set(
                    moderator=moderator, user=found.user, **trust_form.cleaned_data
                ),
                _("Saved."),
            ),
        }
        if dispatch(request, action, actions):
            return redirect("community:member_moderate", found.handle)
    context = {
        "found": found,
        "ban": ban,
        "ban_form": ban_form,
        "lift_form": lift_form,
        "trust_form": trust_form,
        "history": list(Ban.objects.filter(user=found.user)[:20]),
        "log": list(
            ModerationAction.objects.filter(target_user=found.user).select_related("moderator")[:30]
        ),
    }
    return render(request, "community/member_moderate.html", context)


# --- Hall of Fame --------------------------------------------------------------------------


def hall_of_fame(request: HttpRequest) -> HttpResponse:
    honours = list(selectors.honours_published())
    return render(request, "community/hall_of_fame.html", {"honours": honours})


def honour(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.honour_public(slug=slug)
    profile = getattr(found.user, "contributor_profile", None)
    context = {
        "honour": found,
        "record": selectors.contribution_record(user_id=found.user_id),
        "profile": profile,
        "sectors": [
            str(Sector(s).label) for s in (profile.sectors if profile else []) if s in Sector.values
        ],
    }
    return render(request, "community/honour.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = cf.NominationForm(_post(request), initial={"handle": request.GET.get("handle", "")[:30]})
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: services.nomination_submit(user=user, **form.cleaned_data),
        _("Thank you. The council reviews every nomination."),
        clear="nomination",
    ):
        return redirect("community:hall_of_fame")
    mine = Nomination.objects.filter(nominator=user).select_related("nominee")[:20]
    return render(request, "community/nominate.html", {"form": form, "mine": mine})


@login_required
@require_http_methods(["GET", "POST"])
def nominations_review(request: HttpRequest) -> HttpResponse:
    reviewer = _user(request)
    if not selectors.reviews_nominations(reviewer):
        raise Http404()
    form = cf.DecisionForm(_post(request))
    if request.method == "POST":
        key = request.POST.get("nomination", "")
        nomination = Nomination.objects.filter(pk=int(key)).first() if key.isdigit() else None
        if nomination is None:
            raise Http404()
        if attempt(
            request,
            form,
            lambda: services.nomination_decide(
                reviewer=reviewer, nomination=nomination, **form.cleaned_data
            ),
            _("The decision is recorded."),
        ):
            return redirect("community:nominations_review")
    waiting = list(
        Nomination.objects.filter(status=NominationStatus.SUBMITTED).select_related(
            "nominee", "nominator"
        )[:100]
    )
    records = {n.pk: selectors.contribution_record(user_id=n.nominee_id) for n in waiting}
    context = {
        "waiting": [(n, records[n.pk]) for n in waiting],
        "form": form,
        "awaiting": Honour.objects.filter(status=HonourStatus.AWAITING_CONSENT).select_related(
            "user"
        ),
    }
    return render(request, "community/nominations_review.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def honour_consent(request: HttpRequest, honour_id: int) -> HttpResponse:
    user = _user(request)
    found = Honour.objects.filter(pk=honour_id, user=user).first()
    if found is None:
        raise Http404()
    if request.method == "POST":
        agree = request.POST.get("action") == "agree"
        actions: Actions = {
            "agree": (
                None,
                lambda: services.honour_consent(user=user, honour=found, agree=True),
                _("Your Hall of Fame page is published."),
            ),
            "decline": (
                None,
                lambda: services.honour_consent(user=user, honour=found, agree=False),
                _("Nothing will be published."),
            ),
        }
        dispatch(request, request.POST.get("action", ""), actions)
        found.refresh_from_db()
        if agree and found.status == HonourStatus.PUBLISHED:
            return redirect("community:honour", found.slug)
        return redirect("community:honour_consent", found.pk)
    context = {"honour": found, "record": selectors.contribution_record(user_id=user.pk)}
    return render(request, "community/honour_consent.html", context)


# --- calls and panels ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calls(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _list_with_opening(
        request,
        allowed=selectors.runs_calls(user),
        form_class=cf.CallForm,
        create=lambda data: services.call_open(actor=user, data=data),
        success=_("The call is open."),
        page_of=lambda call: redirect("community:call", call.pk),
    )
    if isinstance(form, HttpResponse):
        return form
    context = {"calls": list(selectors.calls_list()[:100]), "form": form}
    return render(request, "community/calls.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, call_id: int) -> HttpResponse:
    user = _user(request)
    found = selectors.call_get(call_id=call_id)
    runs = selectors.runs_calls(user)
    action = request.POST.get("action", "")
    apply_form = cf.ApplyForm(_post(request) if action == "apply" else None)
    applications = list(selectors.call_applications(call=found)) if runs else []
    select_form = (
        cf.SelectForm(
            _post(request) if action == "select" else None,
            choices=[
                (a.pk, a.applicant.display_name) for a in applications if a.status == "applied"
            ],
        )
        if runs
        else None
    )
    if request.method == "POST":
        actions: Actions = {
            "apply": (
                apply_form,
                lambda: services.call_apply(user=user, call=found, **apply_form.cleaned_data),
                _("Your application is in."),
            ),
            "withdraw": (
                None,
                lambda: services.application_withdraw(user=user, call=found),
                _("Your application is withdrawn."),
            ),
            "close": (
                None,
                lambda: services.call_close(actor=user, call=found),
                _("The call is closed."),
            ),
        }
        if select_form is not None:
            actions["select"] = (
                select_form,
                lambda: services.panel_select(
                    actor=user, call=found, application_ids=select_form.cleaned_data["applications"]
                ),
                _("The panel is selected and everyone who applied is told."),
            )
        if dispatch(request, action, actions, drafts={"apply": f"apply-{found.pk}"}):
            return redirect("community:call", found.pk)
    context = {
        "call": found,
        "runs": runs,
        "application": selectors.application_of(user=user, call=found),
        "applications": applications,
        "apply_form": apply_form,
        "select_form": select_form,
        "open": found.status == CallStatus.OPEN and found.closes_on >= timezone.localdate(),
        "on_panel": selectors.on_panel(user=user, call=found),
        "panel": list(selectors.panel_members(call=found))
        if found.status == CallStatus.SELECTED
        else [],
        "is_contributor": hasattr(user, "contributor_profile"),
    }
    return render(request, "community/call.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def workspace(request: HttpRequest, call_id: int) -> HttpResponse:
    user = _user(request)
    found: Call = selectors.workspace_get_for_user(user=user, call_id=call_id)
    action = request.POST.get("action", "")
    documents = list(found.documents.select_related("uploaded_by"))
    document_form = cf.DocumentForm(
        _post(request) if action == "document" else None,
        request.FILES if action == "document" else None,
    )
    comment_form = cf.CommentForm(
        _post(request) if action == "comment" else None,
        documents=[(d.pk, d.title) for d in documents],
    )
    if request.method == "POST":

        def upload() -> None:
            upload = document_form.cleaned_data["file"]
            services.document_add(
                user=user,
                call_id=found.pk,
                title=document_form.cleaned_data["title"],
                name=upload.name,
                data=upload.read(),
            )

        actions: Actions = {
            "document": (document_form, upload, _("The document is shared with the panel.")),
            "comment": (
                comment_form,
                lambda: services.comment_add(
                    user=user,
                    call_id=found.pk,
                    body=comment_form.cleaned_data["body"],
                    document_id=comment_form.cleaned_data["document"],
                ),
                _("Your comment is posted."),
            ),
        }
        if dispatch(request, action, actions, drafts={"comment": f"panel-{found.pk}"}):
            return redirect("community:workspace", found.pk)
    context = {
        "call": found,
        "documents": documents,
        "comments": list(found.comments.select_related("author", "document")),
        "panel": list(selectors.panel_members(call=found)),
        "document_form": document_form,
        "comment_form": comment_form,
    }
    return render(request, "community/workspace.html", context)


@login_required
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    document = selectors.document_get_for_user(user=_user(request), document_id=document_id)
    try:
        handle = default_storage.open(document.file, "rb")
    except FileNotFoundError as exc:
        raise Http404() from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
