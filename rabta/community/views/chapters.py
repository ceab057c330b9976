"""Chapter pages: the list (where staff open chapters), a chapter (joining, leaving, being
listed, leads, planning events), an event (going or not, cancelling) and its calendar file."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.accounts.reference import time_zones
from rabta.community import forms as cf
from rabta.community import presenters, selectors, services
from rabta.community.models import Chapter, RsvpStatus
from rabta.community.views.shared import list_with_opening, switch
from rabta.core.actions import Actions, dispatch
from rabta.core.http import posted, request_user


@login_required
@require_http_methods(["GET", "POST"])
def chapters(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = list_with_opening(
        request,
        allowed=selectors.manages_chapters(user),
        form_class=cf.ChapterForm,
        create=lambda data: services.chapter_open(actor=user, **data),
        success=_("The chapter is open; people living there join it."),
        page_of=lambda chapter: redirect("community:chapter", chapter.slug),
    )
    if isinstance(form, HttpResponse):
        return form
    context = {
        "chapters": list(selectors.chapter_list()),
        "mine": selectors.chapter_ids_of(user=user),
        "form": form,
    }
    return render(request, "community/chapters.html", context)


def _chapter_actions(
    request: HttpRequest,
    user: User,
    chapter: Chapter,
    event_form: cf.EventForm,
    lead_form: cf.LeadForm,
    planned: dict[str, Any],
) -> Actions:
    def plan() -> None:
        planned["event"] = services.event_create(
            user=user, chapter=chapter, data=event_form.data_for_service()
        )

    return {
        "join": (
            None,
            lambda: services.chapter_join(user=user, chapter=chapter),
            _("Welcome to the chapter."),
        ),
        "leave": (
            None,
            lambda: services.chapter_leave(user=user, chapter=chapter),
            _("You left the chapter."),
        ),
        "list": (
            None,
            lambda: services.chapter_listing_set(
                user=user, chapter=chapter, listed=request.POST.get("listed") == "1"
            ),
            _("Saved."),
        ),
        "event": (event_form, plan, _("The event is planned.")),
        "lead": (
            lead_form,
            lambda: services.chapter_lead_set(
                actor=user, chapter=chapter, **lead_form.cleaned_data
            ),
            _("Saved."),
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def chapter(request: HttpRequest, slug: str) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.chapter_get(slug=slug)
    runs = selectors.runs_chapter(user=user, chapter=found)
    manages = selectors.manages_chapters(user)
    action = request.POST.get("action", "")
    data = posted(request)
    event_form = cf.EventForm(data if action == "event" else None)
    lead_form = cf.LeadForm(data if action == "lead" else None)
    if request.method == "POST":
        planned: dict[str, Any] = {}
        actions = _chapter_actions(request, user, found, event_form, lead_form, planned)
        if dispatch(request, action, actions):
            if "event" in planned:
                return redirect("community:event", planned["event"].pk)
            return redirect("community:chapter", found.slug)
    context = {
        "chapter": found,
        "membership": selectors.membership_of(user=user, chapter=found),
        "runs": runs,
        "manages": manages,
        "leads": list(selectors.chapter_leads(chapter=found)),
        "listed": list(selectors.chapter_members_listed(chapter=found)),
        "events": list(selectors.chapter_events_recent(user=user, chapter=found)),
        "threads": selectors.chapter_activity(user=user, chapter=found),
        "category": selectors.chapter_category(chapter=found),
        "event_form": event_form if runs else None,
        "lead_form": lead_form if manages else None,
        "time_zones": sorted(time_zones()) if runs else [],
    }
    return render(request, "community/chapter.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event(request: HttpRequest, event_id: int) -> HttpResponse:
    user: User = request_user(request)
    found = selectors.event_get_for_user(user=user, event_id=event_id)
    runs = selectors.runs_chapter(user=user, chapter=found.chapter)
    action = request.POST.get("action", "")
    cancel_form = cf.ReasonForm(posted(request) if action == "cancel" else None)
    if request.method == "POST":
        actions: Actions = {
            **switch(
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
        if dispatch(request, action, actions):
            return redirect("community:event", found.pk)
    rsvp = selectors.rsvp_of(user=user, event=found)
    context = {
        "event": found,
        "rsvp": rsvp,
        "going": rsvp is not None and rsvp.status == RsvpStatus.GOING,
        "waiting": rsvp is not None and rsvp.status == RsvpStatus.WAITLIST,
        "times": presenters.event_times(found),
        "see_location": selectors.may_see_location(user=user, event=found),
        "attendees": list(selectors.event_attendees(event=found)) if runs else None,
        "runs": runs,
        "cancel_form": cancel_form,
        "started": found.starts_at <= timezone.now(),
    }
    return render(request, "community/event.html", context)


@login_required
def event_calendar(request: HttpRequest, event_id: int) -> HttpResponse:
    found = selectors.event_get_for_user(user=request_user(request), event_id=event_id)
    response = HttpResponse(presenters.event_ics(found), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="chapter-event-{found.pk}.ics"'
    return response
