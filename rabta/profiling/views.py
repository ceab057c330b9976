"""Pages for career profiling: the assessment (one step per page, each saved as the person goes),
the results with their reasons, gaps and plan, the staff and analyst views, and postings intake."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rabta.accounts.models import EngineerProfile, User
from rabta.core.actions import apply_domain_error
from rabta.core.errors import DomainError, NotFound
from rabta.core.privacy import suppress
from rabta.core.services import audit_record
from rabta.core.tasks import task_enqueue
from rabta.engine.pathways import pathway as pathway_get
from rabta.engine.pathways import pathways
from rabta.engine.taxonomy import taxonomy
from rabta.profiling import postings, presenters, services
from rabta.profiling.forms import (
    ChooseForm,
    DigitalForm,
    ExperienceForm,
    GoalsForm,
    InterestsForm,
    OutcomeForm,
    PostingImportForm,
    SkillAddForm,
    ToolForm,
)
from rabta.profiling.inventory import ITEMS, SCALE
from rabta.profiling.models import (
    STEPS,
    Assessment,
    AssessmentState,
    Level,
    Posting,
    PostingImport,
    ProfileResult,
    Step,
    SuggestionState,
)
from rabta.profiling.tasks import postings_classify_task

SEARCH_MAX_CHARS = 100
SEARCH_RESULTS = 12


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = services.assessment_for(user=user)
    if current is not None:
        return redirect("profiling:step", step=current.step)
    if services.latest_result(user=user) is not None:
        return redirect("profiling:results")
    has_profile = EngineerProfile.objects.filter(user=user).exists()
    return render(request, "profiling/start.html", {"has_profile": has_profile})


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    try:
        assessment = services.assessment_start(user=_user(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:engineer_profile")
    return redirect("profiling:step", step=assessment.step)


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


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in STEPS:
        raise NotFound()
    user = _user(request)
    assessment = services.assessment_for(user=user)
    if assessment is None:
        return redirect("profiling:home")
    handler = {
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
    form = SkillAddForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                form = SkillAddForm(request.POST)
                if form.is_valid():
                    services.skill_add(user=user, **form.cleaned_data)
                    form = SkillAddForm()
            elif action == "remove":
                services.skill_remove(user=user, skill_id=request.POST.get("skill_id", ""))
            elif action == "done":
                services.skills_done(user=user)
                return _next(step)
        except DomainError as error:
            messages.error(request, error.message)
        if not request.htmx:  # type: ignore[attr-defined]
            return redirect("profiling:step", step=step)
    query = request.GET.get("q", "")
    profile = EngineerProfile.objects.filter(user=user).first()
    held = {c.skill_id for c in assessment.skills.all()}
    quick: list[Any] = []
    if profile is not None:
        seen: set[str] = set()
        for p in pathways():
            if profile.discipline in p.disciplines:
                for ref in p.essential_skills:
                    if ref.id not in held and ref.id not in seen:
                        seen.add(ref.id)
                        quick.append(ref)
    context = {
        **_step_context(assessment, step),
        "claims": assessment.skills.all(),
        "results": _search(query),
        "query": query[:SEARCH_MAX_CHARS],
        "levels": Level.choices,
        "quick": quick[:16],
        "form": form,
    }
    template = "profiling/_skills_list.html" if request.htmx else "profiling/step_skills.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _experience_step(
    request: HttpRequest, user: User, assessment: Assessment, step: str
) -> HttpResponse:
    form = ExperienceForm(request.POST or None, initial={"text": assessment.experience_text})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "analyse" and form.is_valid():
                found = services.experience_save(user=user, text=form.cleaned_data["text"])
                messages.success(
                    request,
                    _("%(n)d skills suggested from your text: confirm the ones that are yours.")
                    % {"n": len(found)}
                    if found
                    else _("No new skills found in the text."),
                    extra_tags="clear-experience",
                )
                return redirect("profiling:step", step=step)
            if action in ("confirm", "reject"):
                services.suggestion_decide(
                    user=user,
                    suggestion_id=int(request.POST.get("suggestion_id", "0") or 0),
                    confirm=action == "confirm",
                    level=int(level) if (level := request.POST.get("level", "2")).isdigit() else 2,
                )
                return redirect("profiling:step", step=step)
            if action == "done":
                changed = "text" in request.POST and form.is_valid()
                if changed and form.cleaned_data["text"] != assessment.experience_text:
                    services.experience_save(user=user, text=form.cleaned_data["text"])
                    return redirect("profiling:step", step=step)
                services.answers_save(user=user, step=step, data={}, final=True)
                return _next(step)
        except NotFound:
            raise
        except DomainError as error:
            apply_domain_error(form, error)
    context = {
        **_step_context(assessment, step),
        "form": form,
        "pending": assessment.suggestions.filter(state=SuggestionState.PENDING),
        "decided": assessment.suggestions.exclude(state=SuggestionState.PENDING),
        "levels": Level.choices,
    }
    return render(request, "profiling/step_experience.html", context)


def _tools_step(
    request: HttpRequest, user: User, assessment: Assessment, step: str
) -> HttpResponse:
    form = ToolForm(request.POST or None) if request.POST.get("action") == "add" else ToolForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add" and form.is_valid():
                services.tools_save(user=user, tools=[*assessment.tools, form.cleaned_data["tool"]])
                return redirect("profiling:step", step=step)
            if action == "remove":
                gone = request.POST.get("tool", "")
                services.tools_save(user=user, tools=[t for t in assessment.tools if t != gone])
                return redirect("profiling:step", step=step)
            if action == "done":
                services.tools_save(user=user, tools=list(assessment.tools), final=True)
                return _next(step)
        except DomainError as error:
            apply_domain_error(form, error)
    context = {
        **_step_context(assessment, step),
        "form": form,
        "tools": assessment.tools,
        "known": list(services.known_tools().values()),
    }
    return render(request, "profiling/step_tools.html", context)


_FORMS: dict[str, type[DigitalForm | InterestsForm | GoalsForm]] = {
    "digital": DigitalForm,
    "interests": InterestsForm,
    "goals": GoalsForm,
}


def _answers_step(
    request: HttpRequest, user: User, assessment: Assessment, step: str
) -> HttpResponse:
    form_class = _FORMS[step]
    final = request.POST.get("action") == "done"
    if step == "interests":
        initial: dict[str, Any] = dict(assessment.interests)
    else:
        initial = {name: getattr(assessment, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial, final=final)
    if request.method == "POST":
        if form.is_valid():
            try:
                if step == "interests":
                    services.interests_save(user=user, answers=form.answers(), final=final)
                else:
                    services.answers_save(user=user, step=step, data=form.answers(), final=final)
                if request.htmx and not final:  # type: ignore[attr-defined]
                    return HttpResponse(_("Saved."))
                if final:
                    messages.success(request, _("Saved."), extra_tags=f"clear-{step}")
                    return _next(step)
                return redirect("profiling:step", step=step)
            except DomainError as error:
                apply_domain_error(form, error)
        if request.htmx and not final:  # type: ignore[attr-defined]
            return HttpResponse(_("Not saved: check the form."), status=422)
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
    user = _user(request)
    assessment = services.assessment_for(user=user)
    if assessment is None:
        return redirect("profiling:home")
    if request.method == "POST":
        try:
            services.assessment_complete(user=user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("profiling:review")
        messages.success(request, _("Your results are ready."))
        return redirect("profiling:results")
    missing = [
        (s, Step(s).label)
        for s in STEPS
        if s not in assessment.completed_steps and s != "experience"
    ]
    context = {
        **_step_context(assessment, assessment.step),
        "missing": missing,
        "skills": assessment.skills.count(),
        "tools": len(assessment.tools),
        "answered": len(assessment.interests),
    }
    return render(request, "profiling/review.html", context)


def _results_context(result: ProfileResult, *, show: int = 5) -> dict[str, Any]:
    assessment = result.assessment
    previous = (
        ProfileResult.objects.filter(
            assessment__user_id=assessment.user_id,
            assessment__number__lt=assessment.number,
            assessment__state=AssessmentState.COMPLETED,
        )
        .order_by("-assessment__number")
        .first()
    )
    before = {p["slug"]: p["fit"] for p in previous.pathways} if previous else {}
    rows = []
    for stored in result.pathways[:show]:
        pathway = pathway_get(stored["slug"])
        rows.append(
            {
                "stored": stored,
                "pathway": pathway,
                "fit_percent": round(stored["fit"] * 100),
                "change": round((stored["fit"] - before[stored["slug"]]) * 100)
                if stored["slug"] in before
                else None,
                "reasons": presenters.reasons(stored),
                "confidence": presenters.confidence_text(stored["confidence_level"]),
            }
        )
    chosen_slug = result.chosen_pathway or (result.pathways[0]["slug"] if result.pathways else "")
    chosen = next((p for p in result.pathways if p["slug"] == chosen_slug), None)
    return {
        "result": result,
        "assessment": assessment,
        "rows": rows,
        "previous": previous,
        "chosen": chosen,
        "chosen_pathway": pathway_get(chosen_slug) if chosen else None,
        "plan": presenters.plan_for(chosen_slug, chosen, result.readiness_gaps) if chosen else [],
        "readiness_percent": round(result.readiness * 100),
        "readiness_actions": [presenters.readiness_action(g) for g in result.readiness_gaps],
        "others": result.pathways[show:],
    }


@login_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    result = services.latest_result(user=user)
    if result is None:
        return redirect("profiling:home")
    outcome_form = OutcomeForm(
        request.POST if request.POST.get("action") == "outcome" else None,
        initial={"pathway": result.chosen_pathway},
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "choose":
                form = ChooseForm(request.POST)
                if form.is_valid():
                    services.pathway_choose(user=user, slug=form.cleaned_data["pathway"])
                    messages.success(request, _("Your plan is updated."))
                return redirect("profiling:results")
            if action == "outcome" and outcome_form.is_valid():
                services.outcome_record(user=user, **outcome_form.cleaned_data)
                messages.success(
                    request, _("Congratulations, and thank you: it helps the next engineers.")
                )
                return redirect("profiling:results")
        except DomainError as error:
            apply_domain_error(outcome_form, error)
    context = {
        **_results_context(result),
        "outcome_form": outcome_form,
        "in_progress": services.assessment_for(user=user),
        "staff_view": False,
    }
    return render(request, "profiling/results.html", context)


@login_required
@permission_required("accounts.view_engineerprofile", raise_exception=True)
@require_GET
def staff_results(request: HttpRequest, user_id: int) -> HttpResponse:
    result = (
        ProfileResult.objects.filter(
            assessment__user_id=user_id, assessment__state=AssessmentState.COMPLETED
        )
        .select_related("assessment", "assessment__user")
        .order_by("-assessment__number")
        .first()
    )
    if result is None:
        raise NotFound()
    audit_record(actor=request.user, action="profiling.results.view", target=result.assessment)
    context = {
        **_results_context(result, show=8),
        "staff_view": True,
        "person": result.assessment.user,
    }
    return render(request, "profiling/results.html", context)


@login_required
@permission_required("profiling.view_profiling_aggregates", raise_exception=True)
@require_GET
def insights(request: HttpRequest) -> HttpResponse:
    """Aggregates for analysts: never a person, and no cell small enough to single one out."""
    latest = {}
    for row in (
        ProfileResult.objects.filter(assessment__state=AssessmentState.COMPLETED)
        .order_by("assessment__user_id", "assessment__number")
        .values("assessment__user_id", "pathways", "chosen_pathway", "readiness_gaps")
    ):
        latest[row["assessment__user_id"]] = row
    top: Counter[str] = Counter()
    chosen: Counter[str] = Counter()
    gaps: Counter[str] = Counter()
    readiness: Counter[str] = Counter()
    for row in latest.values():
        if row["pathways"]:
            first = row["pathways"][0]
            top[first["title"]] += 1
            for gap in first["gaps"][:3]:
                if gap["essential"]:
                    gaps[gap["label"]] += 1
        if row["chosen_pathway"]:
            chosen[pathway_get(row["chosen_pathway"]).title] += 1
        readiness.update(row["readiness_gaps"])
    labels = {g: presenters.readiness_action(g) for g in readiness}

    def table(counts: Counter[str], limit: int = 15) -> list[tuple[str, int | None]]:
        shown = suppress(dict(counts))
        return sorted(
            ((str(k), v) for k, v in shown.items()), key=lambda kv: (-(kv[1] or 0), kv[0])
        )[:limit]

    context = {
        "people": len(latest) if len(latest) >= 10 else None,
        "top": table(top),
        "chosen": table(chosen),
        "gaps": table(gaps),
        "readiness": [(labels[k], v) for k, v in table(readiness)],
        "demand": postings.demand_by_month(),
    }
    return render(request, "profiling/insights.html", context)


@login_required
@permission_required("profiling.add_posting", raise_exception=True)
@require_http_methods(["GET", "POST"])
def posting_intake(request: HttpRequest) -> HttpResponse:
    form = PostingImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > postings.MAX_FILE_BYTES:
            form.add_error("file", _("The file is larger than 5 MB: split it."))
        else:
            try:
                batch = postings.postings_import(
                    actor=request.user, name=upload.name, raw=upload.read()
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                task_enqueue(postings_classify_task, batch.pk)
                messages.success(
                    request,
                    _(
                        "%(created)d postings imported, %(dup)d already known. "
                        "Classification runs now."
                    )
                    % {"created": batch.created, "dup": batch.duplicates},
                )
                return redirect("profiling:postings")
    context = {
        "form": form,
        "imports": PostingImport.objects.all()[:10],
        "recent": Posting.objects.exclude(pathway="")[:20],
        "demand": postings.demand_by_month(),
        "unclassified": Posting.objects.filter(classified_at__isnull=True).count(),
    }
    return render(request, "profiling/postings.html", context)
