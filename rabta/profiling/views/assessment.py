"""The assessment pages: one step per page, each saved as the person goes, then the review that
completes it.  Every POST names an action that calls one service (``rabta.core.actions``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rabta.accounts.models import User
from rabta.core.actions import Actions, dispatch
from rabta.core.errors import NotFound
from rabta.core.http import posted, request_user
from rabta.engine.taxonomy import taxonomy
from rabta.profiling import selectors, services
from rabta.profiling.forms import (
    DigitalForm,
    ExperienceForm,
    GoalsForm,
    InterestsForm,
    SkillAddForm,
    ToolForm,
)
from rabta.profiling.inventory import ITEMS, SCALE
from rabta.profiling.models import STEPS, Assessment, Level, Step

SEARCH_MAX_CHARS = 100
SEARCH_RESULTS = 12

StepPage = Callable[[HttpRequest, User, Assessment, str], HttpResponse]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    current = selectors.assessment_for(user=user)
    if current is not None:
        return redirect("profiling:step", step=current.step)
    if selectors.latest_result(user=user) is not None:
        return redirect("profiling:results")
    has_profile = selectors.engineer_profile(user_id=user.pk) is not None
    return render(request, "profiling/start.html", {"has_profile": has_profile})


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    started: list[Assessment] = []
    actions: Actions = {
        "start": (
            None,
            lambda: started.append(services.assessment_start(user=request_user(request))),
            "",
        )
    }
    dispatch(request, "start", actions)  # the page's one button
    if not started:  # the one refusal is a missing engineer profile: that page says what to do
        return redirect("accounts:engineer_profile")
    return redirect("profiling:step", step=started[0].step)


def _search(query: str) -> list[Any]:
    query = query.strip()[:SEARCH_MAX_CHARS]
    return taxonomy().search(query, SEARCH_RESULTS) if query else []


@login_required
@require_GET
def skill_search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type over the whole ESCO skills pillar; answers a list fragment."""
    query = request.GET.get("q", "")
    return render(
        request,
        "profiling/_skill_results.html",
        {
            "results": _search(query),
            "query": query.strip()[:SEARCH_MAX_CHARS],
            "levels": Level.choices,
        },
    )


def _step_context(assessment: Assessment, step: str) -> dict[str, Any]:
    index = STEPS.index(step)
    return {
        "assessment": assessment,
        "step": step,
        "step_label": Step(step).label,
        "steps": [(s, Step(s).label, s in assessment.completed_steps) for s in STEPS],
        "number": index + 1,
        "total": len(STEPS),
        "previous": STEPS[index - 1] if index else None,
        "next": STEPS[index + 1] if index + 1 < len(STEPS) else None,
    }


def _next(step: str) -> HttpResponse:
    index = STEPS.index(step)
    if index + 1 < len(STEPS):
        return redirect("profiling:step", step=STEPS[index + 1])
    return redirect("profiling:review")


def _here(step: str) -> HttpResponse:
    return redirect("profiling:step", step=step)


def _int(value: str, default: int) -> int:
    return int(value) if value.isdigit() else default


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEPS:
        raise NotFound()
    user: User = request_user(request)
    assessment = selectors.assessment_for(user=user)
    if assessment is None:
        return redirect("profiling:home")
    handler: StepPage = {
        "skills": _skills_step,
        "experience": _experience_step,
        "tools": _tools_step,
        "digital": _answers_step,
        "interests": _answers_step,
        "goals": _answers_step,
    }[step]
    return handler(request, user, assessment, step)


def _skills_step(
    request: HttpRequest, user: User, assessment: Assessment, step: str
) -> HttpResponse:
    form = SkillAddForm(posted(request) if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        finished: list[bool] = []

        def add() -> None:
            services.skill_add(user=user, **form.cleaned_data)

        def done() -> None:
            services.skills_done(user=user)
            finished.append(True)

        actions: Actions = {
            "add": (form, add, ""),
            "remove": (
                None,
                lambda: services.skill_remove(user=user, skill_id=request.POST.get("skill_id", "")),
                "",
            ),
            "done": (None, done, ""),
        }
        if dispatch(request, request.POST.get("action", ""), actions) and form.is_bound:
            form = SkillAddForm()  # added: the next skill starts from an empty form
        if finished:
            return _next(step)
        if not request.htmx:  # type: ignore[attr-defined]
            return _here(step)
    query = request.GET.get("q", "")
    context = {
        **_step_context(assessment, step),
        "claims": selectors.claims(assessment=assessment),
        "results": _search(query),
        "query": query[:SEARCH_MAX_CHARS],
        "levels": Level.choices,
        "quick": selectors.quick_skills(user=user, assessment=assessment),
        "form": form,
    }
    template = "profiling/_skills_list.html" if request.htmx else "profiling/step_skills.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _experience_actions(
    request: HttpRequest, user: User, assessment: Assessment, form: ExperienceForm, went: list[str]
) -> Actions:
    """What the experience step's buttons do; ``went`` learns where the page goes next."""

    def decide(confirm: bool) -> Callable[[], None]:
        return lambda: services.suggestion_decide(
            user=user,
            suggestion_id=int(request.POST.get("suggestion_id", "0") or 0),
            confirm=confirm,
            level=_int(request.POST.get("level", "2"), 2),
        )

    def done() -> None:
        changed = "text" in request.POST and form.is_valid()
        if changed and form.cleaned_data["text"] != assessment.experience_text:
            services.experience_save(user=user, text=form.cleaned_data["text"])
            return  # the new text's suggestions wait on this page
        services.answers_save(user=user, step="experience", data={}, final=True)
        went.append("next")

    return {
        # answers at once: a worker suggests the skills, and the page shows them when stored
        "analyse": (
            form,
            lambda: services.experience_analyse(user=user, text=form.cleaned_data["text"]),
            _("Your text is saved. The skills it mentions appear below in a moment."),
        ),
        "confirm": (form, decide(True), ""),
        "reject": (form, decide(False), ""),
        "done": (None, done, ""),
    }


def _experience_step(
    request: HttpRequest, user: User, assessment: Assessment, step: str
) -> HttpResponse:
    """The text, and the skills suggested from it.  While a worker finds them, the suggestions
    part asks this page again (htmx: the part alone) until they are stored; without JavaScript,
    reloading the page shows them."""
    form = ExperienceForm(posted(request), initial={"text": assessment.experience_text})
    if request.method == "POST":
        went: list[str] = []
        actions = _experience_actions(request, user, assessment, form, went)
        drafts = {"analyse": "experience"}
        if dispatch(request, request.POST.get("action", ""), actions, drafts=drafts):
            return _next(step) if went else _here(step)
    context = {
        **_step_context(assessment, step),
        "form": form,
        "status": selectors.suggestions_status(assessment=assessment),
        "pending": selectors.suggestions_pending(assessment=assessment),
        "decided": selectors.suggestions_decided(assessment=assessment),
        "levels": Level.choices,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "profiling/_suggestions.html", context)
    return render(request, "profiling/step_experience.html", context)


def _tools_step(
    request: HttpRequest, user: User, assessment: Assessment, step: str
) -> HttpResponse:
    action = request.POST.get("action", "")
    form = ToolForm(posted(request) if action == "add" else None)
    if request.method == "POST":
        gone = request.POST.get("tool", "")
        finished: list[bool] = []

        def done() -> None:
            services.tools_save(user=user, tools=list(assessment.tools), final=True)
            finished.append(True)

        actions: Actions = {
            "add": (
                form,
                lambda: services.tools_save(
                    user=user, tools=[*assessment.tools, form.cleaned_data["tool"]]
                ),
                "",
            ),
            "remove": (
                None,
                lambda: services.tools_save(
                    user=user, tools=[t for t in assessment.tools if t != gone]
                ),
                "",
            ),
            "done": (None, done, ""),
        }
        if dispatch(request, action, actions):
            return _next(step) if finished else _here(step)
    context = {
        **_step_context(assessment, step),
        "form": form,
        "tools": assessment.tools,
        "known": list(selectors.known_tools().values()),
    }
    return render(request, "profiling/step_tools.html", context)


_FORMS: dict[str, type[DigitalForm | InterestsForm | GoalsForm]] = {
    "digital": DigitalForm,
    "interests": InterestsForm,
    "goals": GoalsForm,
}


def _answers_form(request: HttpRequest, assessment: Assessment, step: str, final: bool) -> Any:
    form_class = _FORMS[step]
    if step == "interests":
        initial: dict[str, Any] = dict(assessment.interests)
    else:
        initial = {name: getattr(assessment, name) for name in form_class.base_fields}
    return form_class(posted(request), initial=initial, final=final)


def _answers_step(
    request: HttpRequest, user: User, assessment: Assessment, step: str
) -> HttpResponse:
    final = request.POST.get("action") == "done"
    form = _answers_form(request, assessment, step, final)
    if request.method == "POST":

        def save() -> None:
            if step == "interests":
                services.interests_save(user=user, answers=form.answers(), final=final)
            else:
                services.answers_save(user=user, step=step, data=form.answers(), final=final)

        # "done" submits the step; anything else is the autosave of what is filled so far
        actions: Actions = {"done": (form, save, _("Saved.")), "autosave": (form, save, "")}
        saved = dispatch(request, "done" if final else "autosave", actions, drafts={"done": step})
        if request.htmx and not final:  # type: ignore[attr-defined]
            if saved:
                return HttpResponse(_("Saved."))
            return HttpResponse(_("Not saved: check the form."), status=422)
        if saved:
            return _next(step) if final else _here(step)
    context = {**_step_context(assessment, step), "form": form}
    if step == "interests":
        answered = dict(assessment.interests)
        context["items"] = [(item, form[item.code], answered.get(item.code)) for item in ITEMS]
        context["scale"] = SCALE
        context["open"] = len(ITEMS) - len(answered)
    return render(request, f"profiling/step_{step}.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    assessment = selectors.assessment_for(user=user)
    if assessment is None:
        return redirect("profiling:home")
    if request.method == "POST":
        completed: list[bool] = []

        def complete() -> None:
            services.assessment_complete(user=user)
            completed.append(True)

        actions: Actions = {"complete": (None, complete, _("Your results are ready."))}
        dispatch(request, "complete", actions)  # the page's one button
        return redirect("profiling:results" if completed else "profiling:review")
    missing = [(s, Step(s).label) for s in services.steps_missing(assessment)]
    context = {
        **_step_context(assessment, assessment.step),
        "missing": missing,
        "skills": selectors.claim_count(assessment=assessment),
        "tools": len(assessment.tools),
        "answered": len(assessment.interests),
    }
    return render(request, "profiling/review.html", context)
