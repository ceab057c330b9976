"""Institutions: registering one, its page for members and administrators, invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rabta.accounts import selectors, services
from rabta.accounts.forms import InstitutionForm, MemberAddForm
from rabta.accounts.models import Institution, User
from rabta.accounts.views.profiles import profile_initial
from rabta.core.actions import Actions, attempt, dispatch
from rabta.core.errors import DomainError, NotFound
from rabta.core.http import posted, request_user


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_required
@require_http_methods(["GET", "POST"])
def institution_create(request: HttpRequest) -> HttpResponse:
    user: User = request_user(request)
    form = InstitutionForm(posted(request))
    made: list[Institution] = []
    if request.method == "POST" and attempt(
        request,
        form,
        lambda: made.append(services.institution_create(user=user, data=form.cleaned_data)),
        _("Registered."),
        clear="institution",
    ):
        return redirect("accounts:institution_detail", institution_id=made[0].pk)
    return render(request, "accounts/institution_form.html", {"form": form})


def _admin_actions(
    request: HttpRequest,
    user: User,
    admin: Institution,
    member_form: MemberAddForm,
    edit_form: InstitutionForm,
) -> Actions:
    """What an institution's administrator may post on its page."""
    return {
        "add_member": (
            member_form,
            lambda: services.institution_invite(
                actor=user, institution=admin, email=member_form.cleaned_data["email"]
            ),
            _("Invitation sent to %(email)s. They join when they accept it.")
            % {"email": request.POST.get("email", "").strip()},
        ),
        "edit": (
            edit_form,
            lambda: services.institution_update(
                user=user, institution=admin, data=edit_form.cleaned_data
            ),
            _("Saved."),
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def institution_detail(request: HttpRequest, institution_id: int) -> HttpResponse:
    user: User = request_user(request)
    try:
        institution = selectors.institution_get_for_user(user=user, institution_id=institution_id)
    except NotFound:
        return _not_found(request)
    try:
        admin_of: Institution | None = selectors.institution_get_for_admin(
            user=user, institution_id=institution_id
        )
    except NotFound:
        admin_of = None
    action = "add_member" if request.POST.get("action") == "add_member" else "edit"
    data = posted(request)
    member_form = MemberAddForm(data if action == "add_member" else None)
    edit_form = InstitutionForm(
        data if action == "edit" else None,
        initial=profile_initial(institution, services.INSTITUTION_EDITABLE),
    )
    if request.method == "POST":
        if admin_of is None:
            return _not_found(request)
        actions = _admin_actions(request, user, admin_of, member_form, edit_form)
        if dispatch(request, action, actions):
            return redirect("accounts:institution_detail", institution_id=institution_id)
    return render(
        request,
        "accounts/institution_detail.html",
        {
            "institution": institution,
            "is_admin": admin_of is not None,
            "members": selectors.institution_members(institution=institution),
            "edit_form": edit_form,
            "member_form": member_form,
            "invitations": selectors.institution_invitations_open(institution=admin_of)
            if admin_of
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    user: User = request_user(request)
    try:
        found = services.institution_invitation_read(token=token)
        if request.method == "POST":
            institution = services.institution_invitation_accept(user=user, token=token)
            messages.success(request, _("You now represent %(name)s.") % {"name": institution.name})
            return redirect("accounts:institution_detail", institution_id=institution.pk)
    except DomainError as error:
        return render(
            request,
            "accounts/verify_email_failed.html",
            {"error": error.message},
            status=error.status,
        )
    return render(request, "accounts/invitation.html", {"invitation": found})
