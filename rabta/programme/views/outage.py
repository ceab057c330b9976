"""The staff page of one live session: outage recovery (the recording, an audio-only file and the
slides, the short check and its pass mark) and the outage reports waiting for review."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import User
from rabta.core.actions import Actions, dispatch
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.http import posted, request_user
from rabta.programme import selectors, services
from rabta.programme.forms import (
    CheckQuestionFormSet,
    SessionRecoveryForm,
    check_question_initial,
)
from rabta.programme.models import LiveSession
from rabta.programme.views.common import not_found

RUNS_COHORTS = "programme.change_cohort"


@login_required
@permission_required(RUNS_COHORTS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_session(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    user: User = request_user(request)
    session = selectors.session_of_cohort(session_id=session_id, slug=slug)
    if session is None:
        return not_found(request)
    form = SessionRecoveryForm(
        posted(request),
        initial={
            "recording_url": session.recording_url,
            "audio_url": session.audio_url,
            "slides_url": session.slides_url,
            "pass_mark": session.pass_mark,
        },
    )
    questions = CheckQuestionFormSet(
        posted(request),
        initial=check_question_initial(session.check_questions or []),
        prefix="q",
    )
    if request.method == "POST":
        actions = _session_actions(request, user, session, form, questions)
        if dispatch(request, request.POST.get("action", ""), actions):
            return redirect("programme:staff_session", slug=slug, session_id=session.pk)
    return render(
        request,
        "programme/staff_session.html",
        {
            "cohort": session.cohort,
            "session": session,
            "form": form,
            "questions": questions,
            "excuses": selectors.session_excuses(session=session),
        },
    )


def _session_actions(
    request: HttpRequest,
    user: User,
    session: LiveSession,
    form: SessionRecoveryForm,
    questions: Any,
) -> Actions:
    def save() -> None:
        if not questions.is_valid():
            raise DomainError(
                ErrorCode.VALIDATION_ERROR,
                _("Check the questions: %(n)d at most, each field within its length.") % {"n": 10},
            )
        asked = [row.question_data() for row in questions.forms]
        services.session_recovery_set(
            actor=user,
            session_id=session.pk,
            recording_url=form.cleaned_data["recording_url"],
            audio_url=form.cleaned_data["audio_url"],
            slides_url=form.cleaned_data["slides_url"],
            pass_mark=form.cleaned_data["pass_mark"],
            questions=[question for question in asked if question is not None],
        )

    def review(approve: bool) -> None:
        raw = request.POST.get("excuse", "")
        if not raw.isdigit():
            raise DomainError(ErrorCode.VALIDATION_ERROR, _("Invalid request."))
        services.excuse_review(
            actor=user, excuse_id=int(raw), approve=approve, note=request.POST.get("note", "")
        )

    return {
        "save": (form, save, _("The session's outage recovery is saved.")),
        "approve": (None, lambda: review(True), _("The absence is approved.")),
        "reject": (None, lambda: review(False), _("The absence is rejected.")),
    }
