"""Pages of the Brain Gain portal.  Each object page is one view: GET shows it, POST carries an
``action`` that calls one service.  Every fetch goes through a selector that returns the
viewer's part in the object or a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts.models import ContributorProfile, User
from rabta.accounts.reference import time_zones
from rabta.accounts.roles import Role
from rabta.braingain import forms as bg_forms
from rabta.braingain import presenters, reports, selectors, services, states
from rabta.braingain.models import (
    AskStatus,
    EngagementStatus,
    MatchingRound,
    MentorshipStatus,
    RequestStatus,
    SessionStatus,
)
from rabta.core.actions import Actions, attempt, dispatch, refuse
from rabta.engine.pathways import pathway as pathway_get
from rabta.profiling.services import latest_result


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


_attempt = attempt
_refuse = refuse
_dispatch = dispatch


# --- hub ----------------------------------------------------------------------------------------


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    profile = ContributorProfile.objects.filter(user=user).first()
    mentorships = list(selectors.mentorships_for_user(user=user)[:50])
    context = {
        "profile": profile,
        "incoming": list(
            selectors.requests_for_contributor(user=user).filter(status=RequestStatus.PENDING)
        ),
        "asks": list(selectors.asks_for_seeker(user=user)[:50]),
        "mentorships": mentorships,
        "engagements": list(selectors.engagements_for_user(user=user)[:50]),
        "pending": selectors.pending_count(user=user),
        "max_pending": services.MAX_PENDING,
        "can_ask": hasattr(user, "engineer_profile") or user.institutions.exists(),
        "is_staff": selectors.is_staff(user),
    }
    return render(request, "braingain/hub.html", context)


# --- asks ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ask_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    institutions = list(user.institutions.order_by("name").values_list("pk", "name"))
    engineer = hasattr(user, "engineer_profile")
    if not institutions and not engineer:
        messages.error(
            request, _("Complete your engineer profile or join an institution to post an ask.")
        )
        return redirect("braingain:hub")
    form = bg_forms.AskForm(request.POST or None, institutions=institutions, engineer=engineer)
    holder: dict[str, Any] = {}

    def post() -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k != "skill_terms"}
        data["skills"] = form.cleaned_data["skill_terms"]
        holder["ask"] = services.ask_post(user=user, data=data)

    if request.method == "POST" and _attempt(
        request, form, post, _("Your ask is posted. Choose whom to ask below.")
    ):
        return redirect("braingain:ask", holder["ask"].pk)
    return render(request, "braingain/ask_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def ask_detail(request: HttpRequest, ask_id: int) -> HttpResponse:
    user = _user(request)
    ask, part = selectors.ask_get_for_user(user=user, ask_id=ask_id)
    action = request.POST.get("action", "")
    request_form = bg_forms.RequestForm(request.POST if action == "request" else None)
    proposal_form = bg_forms.ProposalForm(request.POST if action == "propose" else None)
    if request.method == "POST":
        done = False
        if action == "request":
            done = _attempt(
                request,
                request_form,
                lambda: services.request_send(
                    user=user,
                    ask_id=ask.pk,
                    contributor_id=request_form.cleaned_data["contributor"],
                    message=request_form.cleaned_data["message"],
                ),
                _("Request sent. They have %(days)d days to answer.")
                % {"days": services.RESPONSE_DAYS},
            )
        elif action == "withdraw":
            _refuse(
                request,
                lambda: services.request_withdraw(
                    user=user, request_id=_int(request.POST.get("request"))
                ),
                _("Request withdrawn."),
            )
            done = True
        elif action == "close":
            _refuse(request, lambda: services.ask_close(user=user, ask_id=ask.pk), _("Closed."))
            done = True
        elif action == "propose":
            done = _attempt(
                request,
                proposal_form,
                lambda: services.proposal_submit(
                    user=user,
                    ask_id=ask.pk,
                    price_usd=proposal_form.cleaned_data["price_usd"],
                    plan=proposal_form.cleaned_data["plan"],
                    milestones=proposal_form.cleaned_data["milestones_text"],
                ),
                _("Proposal sent."),
            )
        elif action == "withdraw_proposal":
            _refuse(
                request,
                lambda: services.proposal_withdraw(
                    user=user, proposal_id=_int(request.POST.get("proposal"))
                ),
                _("Proposal withdrawn."),
            )
            done = True
        elif action == "award":
            holder: dict[str, Any] = {}

            def award() -> None:
                holder["engagement"] = services.proposal_award(
                    user=user, proposal_id=_int(request.POST.get("proposal"))
                )

            _refuse(request, award, _("Awarded. Both of you now sign the contract."))
            if "engagement" in holder:
                return redirect("braingain:engagement", holder["engagement"].pk)
            done = True
        else:
            messages.error(request, _("That action does not exist."))
            done = True
        if done:
            return redirect("braingain:ask", ask.pk)
    ask, part = selectors.ask_get_for_user(user=user, ask_id=ask_id)
    context: dict[str, Any] = {
        "ask": ask,
        "part": part,
        "skills": presenters.skill_labels(ask.skills),
        "request_form": request_form,
        "proposal_form": proposal_form,
    }
    if part in ("seeker", "staff"):
        context["requests"] = [
            (r, presenters.reasons(r.parts, r.matched_skills, len(ask.skills)))
            for r in ask.requests.select_related("contributor")
        ]
        if part == "seeker" and ask.status == AskStatus.OPEN and not ask.is_project:
            found = services.suggestions(ask=ask, limit=5)
            people = User.objects.in_bulk([s.contributor_id for s in found])
            profiles = {
                p.user_id: p for p in ContributorProfile.objects.filter(user_id__in=list(people))
            }
            context["suggestions"] = [
                (
                    s,
                    people[s.contributor_id],
                    profiles.get(s.contributor_id),
                    presenters.reasons(s.parts, s.matched_skills, len(ask.skills)),
                )
                for s in found
            ]
            context["waiting"] = ask.requests.filter(status=RequestStatus.PENDING).exists()
        if ask.is_project:
            context["proposals"] = list(ask.proposals.select_related("contributor"))
    if part == "contributor" and ask.is_project:
        context["mine"] = ask.proposals.filter(contributor=user).first()
    if ask.is_project:
        context["engagement"] = getattr(ask, "engagement", None)
    return render(request, "braingain/ask.html", context)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404() from None


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_role(Role.CONTRIBUTOR) and not selectors.is_staff(user):
        raise Http404()
    found = list(selectors.projects_open()[:100])
    sent = set(user.bg_proposals.filter(ask__in=found).values_list("ask_id", flat=True))
    return render(request, "braingain/projects.html", {"projects": found, "sent": sent})


# --- requests ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _user(request)
    match_request, part = selectors.request_get_for_user(user=user, request_id=request_id)
    form = bg_forms.RespondForm(request.POST or None)
    if request.method == "POST":
        accept = request.POST.get("decision") == "accept"
        if _attempt(
            request,
            form,
            lambda: services.request_respond(
                user=user,
                request_id=match_request.pk,
                accept=accept,
                reason=form.cleaned_data.get("reason", ""),
            ),
            _("Accepted. Agree the terms together next.")
            if accept
            else _("Declined. Thank you for answering."),
        ):
            match_request.refresh_from_db()
            mentorship = getattr(match_request, "mentorship", None)
            if accept and mentorship is not None:
                return redirect("braingain:mentorship", mentorship.pk)
            return redirect("braingain:hub")
    ask = match_request.ask
    seeker_profile = (
        getattr(ask.owner, "engineer_profile", None) if ask.institution_id is None else None
    )
    # what the engineer's career assessment concluded: the contributor sees whom they would help
    result = latest_result(user=ask.owner) if seeker_profile is not None else None
    pathway = pathway_get(result.chosen_pathway).title if result and result.chosen_pathway else ""
    return render(
        request,
        "braingain/request.html",
        {
            "match_request": match_request,
            "part": part,
            "ask": ask,
            "skills": presenters.skill_labels(ask.skills),
            "reasons": presenters.reasons(
                match_request.parts, match_request.matched_skills, len(ask.skills)
            ),
            "seeker_profile": seeker_profile,
            "pathway": pathway,
            "form": form,
            "respond_by": timezone.localtime(match_request.respond_by, selectors.user_zone(user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def expertise(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    profile = ContributorProfile.objects.filter(user=user).first()
    if profile is None:
        messages.error(request, _("Complete your contributor profile first."))
        return redirect("accounts:contributor_profile")
    form = bg_forms.SkillsForm(
        request.POST or None, initial={"skill_terms": bg_forms.skill_terms(profile.skills)}
    )
    if request.method == "POST" and _attempt(
        request,
        form,
        lambda: services.contributor_skills_set(user=user, skills=form.cleaned_data["skill_terms"]),
        _("Your skills are saved."),
    ):
        return redirect("braingain:expertise")
    return render(
        request,
        "braingain/expertise.html",
        {"form": form, "profile": profile, "skills": presenters.skill_labels(profile.skills)},
    )


# --- mentorships ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mentorship_detail(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    user = _user(request)
    mentorship, part = selectors.mentorship_get_for_user(user=user, mentorship_id=mentorship_id)
    zone = selectors.user_zone(user)
    action = request.POST.get("action", "")
    post = request.POST if request.method == "POST" else None

    def bound(name: str, form_class: type[forms.Form], **kwargs: Any) -> forms.Form:
        return form_class(post if action == name else None, **kwargs)

    agreement = bound(
        "agreement",
        bg_forms.AgreementForm,
        initial={
            "goals": mentorship.goals,
            "schedule": mentorship.schedule,
            "expectations": mentorship.expectations,
        },
    )
    session_form = bound("schedule", bg_forms.SessionForm, initial={"zone": zone.key})
    hold_form = bound("hold", bg_forms.HoldForm)
    # prefixed: both have a comment field, and ids must stay unique on the page
    feedback_form = bound("feedback", bg_forms.FeedbackForm, prefix="feedback")
    fit_form = bound("fit", bg_forms.FitForm, prefix="fit")
    time_form = bound("time", bg_forms.TimeForm)
    end_form = bound("end", bg_forms.ReasonForm)
    mid = mentorship.pk
    actions: Actions = {
        "agreement": (
            agreement,
            lambda: services.mentorship_agreement_update(
                user=user, mentorship_id=mid, **agreement.cleaned_data
            ),
            _("Saved. Both of you sign the agreement as it now reads."),
        ),
        "sign": (
            None,
            lambda: services.mentorship_sign(user=user, mentorship_id=mid),
            _("Signed."),
        ),
        "schedule": (
            session_form,
            lambda: services.session_schedule(
                user=user,
                mentorship_id=mid,
                starts_at=session_form.starts_at(),  # type: ignore[attr-defined]
                duration_minutes=session_form.cleaned_data["duration_minutes"],
                agenda=session_form.cleaned_data["agenda"],
            ),
            _("Session planned. Add it to your calendar below."),
        ),
        "hold": (
            hold_form,
            lambda: services.session_hold(
                user=user,
                session_id=_int(request.POST.get("session")),
                notes=hold_form.cleaned_data["notes"],
            ),
            _("Session logged."),
        ),
        "cancel_session": (
            None,
            lambda: services.session_cancel(
                user=user, session_id=_int(request.POST.get("session"))
            ),
            _("Session cancelled."),
        ),
        "feedback": (
            feedback_form,
            lambda: services.feedback_leave(
                user=user,
                session_id=_int(request.POST.get("session")),
                rating=feedback_form.cleaned_data["rating"],
                comment=feedback_form.cleaned_data["comment"],
            ),
            _("Thank you for the feedback."),
        ),
        "fit": (
            fit_form,
            lambda: services.fit_check_answer(
                user=user,
                mentorship_id=mid,
                answer=fit_form.cleaned_data["answer"],
                comment=fit_form.cleaned_data["comment"],
            ),
            _("Thank you for answering."),
        ),
        "time": (
            time_form,
            lambda: services.time_log(user=user, mentorship_id=mid, **time_form.cleaned_data),
            _("Hours logged."),
        ),
        "complete": (
            None,
            lambda: services.mentorship_complete(user=user, mentorship_id=mid),
            _("Completed. The certificate of contribution is ready."),
        ),
        "end": (
            end_form,
            lambda: services.mentorship_end(
                user=user,
                mentorship_id=mid,
                reason=end_form.cleaned_data["reason"],
                rematch=request.POST.get("rematch") == "1",
            ),
            _("Ended."),
        ),
    }
    if request.method == "POST":
        if _dispatch(request, action, actions):
            return redirect("braingain:mentorship", mid)
        mentorship, part = selectors.mentorship_get_for_user(user=user, mentorship_id=mid)
    sessions = list(mentorship.sessions.prefetch_related("feedback"))
    rows = []
    for s in sessions:
        mine = next((f for f in s.feedback.all() if f.author_id == user.pk), None)
        rows.append(
            {
                "session": s,
                "mine": presenters.local(s.starts_at, zone),
                "pakistan": presenters.local(s.starts_at, selectors.PAKISTAN),
                "mentor_time": presenters.local(
                    s.starts_at, selectors.user_zone(mentorship.mentor)
                ),
                "feedback": list(s.feedback.all()),
                "my_feedback": mine,
                "started": s.starts_at <= timezone.now(),
            }
        )
    checks = list(mentorship.fit_checks.all())
    context = {
        "mentorship": mentorship,
        "part": part,
        "zone": zone.key,
        "sessions": rows,
        "minutes": selectors.mentorship_minutes(mentorship),
        "time_entries": list(mentorship.time_entries.all()[:20]),
        "fit_checks": checks,
        "answered_fit": any(c.author_id == user.pk for c in checks),
        "fit_open": mentorship.status == MentorshipStatus.ACTIVE
        and mentorship.fit_check_due is not None,
        "my_signature": mentorship.mentor_signed_at
        if part == "mentor"
        else mentorship.mentee_signed_at,
        "agreement_form": agreement,
        "session_form": session_form,
        "hold_form": hold_form,
        "feedback_form": feedback_form,
        "fit_form": fit_form,
        "time_form": time_form,
        "end_form": end_form,
        "time_zones": sorted(time_zones()),
        "certificate_url": presenters.certificate_url(mentorship.certificate_code)
        if mentorship.certificate_code
        else "",
        "HELD": SessionStatus.HELD,
        "PLANNED": SessionStatus.PLANNED,
    }
    return render(request, "braingain/mentorship.html", context)


@login_required
def session_calendar(request: HttpRequest, session_id: int) -> HttpResponse:
    session, _part = selectors.session_get_for_user(user=_user(request), session_id=session_id)
    response = HttpResponse(
        presenters.session_ics(session, session.mentorship), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@login_required
def certificate_download(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    mentorship, part = selectors.mentorship_get_for_user(
        user=_user(request), mentorship_id=mentorship_id
    )
    if not mentorship.certificate_code or part not in ("mentor", "staff"):
        raise Http404()
    pdf = presenters.certificate_pdf(mentorship, selectors.mentorship_minutes(mentorship))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="contribution-{mentorship.certificate_code}.pdf"'
    )
    return response


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    mentorship = (
        selectors.Mentorship.objects.select_related("mentor", "ask")
        .filter(certificate_code=code.upper()[:12], status=MentorshipStatus.COMPLETED)
        .first()
    )
    context = {
        "mentorship": mentorship,
        "code": code[:12],
        "hours": selectors.mentorship_minutes(mentorship) / 60 if mentorship else 0,
    }
    return render(
        request, "braingain/certificate_verify.html", context, status=200 if mentorship else 404
    )


# --- consultancy engagements ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def engagement_detail(request: HttpRequest, engagement_id: int) -> HttpResponse:
    user = _user(request)
    engagement, part = selectors.engagement_get_for_user(user=user, engagement_id=engagement_id)
    action = request.POST.get("action", "")
    post = request.POST if request.method == "POST" else None
    deliver_form = bg_forms.DeliverableForm(post if action == "submit" else None)
    review_form = bg_forms.ReviewForm(post if action == "review" else None)
    payment_form = bg_forms.PaymentForm(post if action in ("invoice", "mark_paid") else None)
    rating_form = bg_forms.RatingForm(post if action == "rate" else None)
    cancel_form = bg_forms.ReasonForm(post if action == "cancel" else None)
    eid = engagement.pk

    def milestone() -> int:
        return _int(request.POST.get("milestone"))

    def payment(step: str) -> None:
        services.payment_record(
            user=user,
            milestone_id=milestone(),
            action=step,
            reference=payment_form.cleaned_data["reference"],
        )

    actions: Actions = {
        "sign": (
            None,
            lambda: services.engagement_sign(user=user, engagement_id=eid),
            _("Signed."),
        ),
        "submit": (
            deliver_form,
            lambda: services.milestone_submit(
                user=user,
                milestone_id=milestone(),
                note=deliver_form.cleaned_data["note"],
                link=deliver_form.cleaned_data["link"],
            ),
            _("Delivered for review."),
        ),
        "review": (
            review_form,
            lambda: services.milestone_review(
                user=user,
                milestone_id=milestone(),
                accept=review_form.cleaned_data["decision"] == "accept",
                note=review_form.cleaned_data["note"],
            ),
            _("Review saved."),
        ),
        "cancel_milestone": (
            None,
            lambda: services.milestone_cancel(user=user, milestone_id=milestone()),
            _("Milestone cancelled."),
        ),
        "invoice": (payment_form, lambda: payment("invoice"), _("Marked as invoiced.")),
        "mark_paid": (payment_form, lambda: payment("mark_paid"), _("Marked as paid.")),
        "complete": (
            None,
            lambda: services.engagement_complete(user=user, engagement_id=eid),
            _("Completed. Please rate each other."),
        ),
        "cancel": (
            cancel_form,
            lambda: services.engagement_cancel(
                user=user, engagement_id=eid, reason=cancel_form.cleaned_data["reason"]
            ),
            _("Cancelled."),
        ),
        "rate": (
            rating_form,
            lambda: services.rating_leave(
                user=user,
                engagement_id=eid,
                stars=rating_form.cleaned_data["stars"],
                comment=rating_form.cleaned_data["comment"],
            ),
            _("Thank you for rating."),
        ),
    }
    if request.method == "POST":
        if _dispatch(request, action, actions):
            return redirect("braingain:engagement", eid)
        engagement, part = selectors.engagement_get_for_user(user=user, engagement_id=eid)
    milestones = []
    for m in engagement.milestones.prefetch_related("deliverables"):
        milestones.append(
            {
                "milestone": m,
                "deliverables": list(m.deliverables.all()),
                "actions": states.MILESTONE.allowed(m.status, part)
                if engagement.status == EngagementStatus.ACTIVE
                else [],
                "payments": states.PAYMENT.allowed(m.payment_status, part)
                if engagement.status == EngagementStatus.ACTIVE
                else [],
            }
        )
    ratings = list(engagement.ratings.select_related("author"))
    context = {
        "engagement": engagement,
        "part": part,
        "milestones": milestones,
        "ratings": ratings,
        "rated": any(r.author_id == user.pk for r in ratings),
        "my_signature": getattr(engagement, f"{part}_signed_at", None),
        "engagement_actions": states.ENGAGEMENT.allowed(engagement.status, part),
        "deliver_form": deliver_form,
        "review_form": review_form,
        "payment_form": payment_form,
        "rating_form": rating_form,
        "cancel_form": cancel_form,
    }
    return render(request, "braingain/engagement.html", context)


# --- staff ---------------------------------------------------------------------------------------


@login_required
@permission_required("braingain.run_matching_round", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_rounds(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = bg_forms.RoundForm(request.POST or None)
    holder: dict[str, Any] = {}

    def create() -> None:
        holder["round"] = services.round_create(user=user, **form.cleaned_data)

    if request.method == "POST" and _attempt(request, form, create, _("Round created.")):
        return redirect("braingain:staff_round", holder["round"].pk)
    rounds = list(MatchingRound.objects.all()[:50])
    return render(request, "braingain/staff_rounds.html", {"form": form, "rounds": rounds})


@login_required
@permission_required("braingain.run_matching_round", raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_round(request: HttpRequest, round_id: int) -> HttpResponse:
    user = _user(request)
    matching_round = selectors.round_get_for_staff(user=user, round_id=round_id)
    action = request.POST.get("action", "")
    constraint_form = bg_forms.ConstraintForm(request.POST if action == "constrain" else None)
    if request.method == "POST":
        if action == "constrain":
            if _attempt(
                request,
                constraint_form,
                lambda: services.round_constraint_set(
                    user=user,
                    round_id=round_id,
                    ask_id=constraint_form.cleaned_data["ask"],
                    contributor_id=constraint_form.cleaned_data["contributor"],
                    kind=constraint_form.cleaned_data["kind"],
                ),
                _("Saved. Solve again to apply it."),
            ):
                return redirect("braingain:staff_round", round_id)
        elif action == "unconstrain":
            _refuse(
                request,
                lambda: services.round_constraint_remove(
                    user=user, round_id=round_id, constraint_id=_int(request.POST.get("constraint"))
                ),
                _("Removed. Solve again to apply it."),
            )
            return redirect("braingain:staff_round", round_id)
        elif action == "solve":
            _refuse(
                request, lambda: services.round_solve(user=user, round_id=round_id), _("Solved.")
            )
            return redirect("braingain:staff_round", round_id)
        elif action == "publish":
            holder: dict[str, int] = {}

            def publish() -> None:
                holder["sent"] = services.round_publish(user=user, round_id=round_id)

            _refuse(request, publish, _("Published: requests are on their way."))
            return redirect("braingain:staff_round", round_id)
        else:
            messages.error(request, _("That action does not exist."))
            return redirect("braingain:staff_round", round_id)
    assignments = list(
        matching_round.assignments.select_related("ask", "contributor").order_by("ask_id")[:500]
    )
    context = {
        "round": matching_round,
        "asks": len(services.round_asks(matching_round)),
        "assignments": [
            (a, presenters.reasons(a.parts, a.matched_skills, len(a.ask.skills)))
            for a in assignments
        ],
        "constraints": list(matching_round.constraints.select_related("ask", "contributor")),
        "constraint_form": constraint_form,
    }
    return render(request, "braingain/staff_round.html", context)


@login_required
@permission_required("braingain.view_programme_report", raise_exception=True)
def staff_report(request: HttpRequest) -> HttpResponse:
    return render(request, "braingain/staff_report.html", {"report": reports.programme_report()})
