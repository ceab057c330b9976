from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rabta.accounts import selectors, services
from rabta.accounts.forms import (
    ApiTokenForm,
    ContributorProfileForm,
    DeleteAccountForm,
    EngineerProfileForm,
    InstitutionForm,
    LoginForm,
    MemberAddForm,
    OtpTokenForm,
    RegisterImportForm,
    SignupForm,
    UserSettingsForm,
    VerificationDecisionForm,
    district_choices,
)
from rabta.accounts.models import ContributorProfile, EngineerProfile, User, VerificationState
from rabta.accounts.reference import Province, time_zones
from rabta.core.actions import apply_domain_error
from rabta.core.errors import DomainError, NotFound
from rabta.core.services import audit_record


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def lockout_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account a login attempt is for, however its address was typed."""
    raw = str((credentials or {}).get("username") or request.POST.get("username", ""))
    raw = raw.strip()[:254]
    # Key on the stored address when there is one: the database's case-insensitive match can
    # accept spellings (ſ for s, ı for i) that lower() keeps apart.
    stored = User.objects.filter(email__iexact=raw).values_list("email", flat=True).first()
    return stored or raw.lower()


def lockout_response(
    request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        _set_language_cookie(response, user.preferred_language)
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                role=form.cleaned_data["role"],
                preferred_language=request.LANGUAGE_CODE,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is created."), extra_tags="clear-signup")
            return redirect("accounts:verify_email_sent")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def verify_email_sent(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.email_verified:
        return redirect("accounts:home")
    if request.method == "POST":
        try:
            services.email_verification_resend(user=user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("We sent a new link to %(email)s.") % {"email": user.email})
        return redirect("accounts:verify_email_sent")
    return render(request, "accounts/verify_email_sent.html")


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.email_verify(token=token)
    except DomainError as error:
        return render(
            request, "accounts/verify_email_failed.html", {"error": error.message}, status=400
        )
    messages.success(request, _("Your email address is verified."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:home")
    return redirect("accounts:login")


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "engineer": EngineerProfile.objects.filter(user=user).first(),
        "contributor": ContributorProfile.objects.filter(user=user).first(),
        "institutions": selectors.institution_list_for_user(user=user),
        "pending_count": selectors.verification_queue(user=user).count()
        if user.has_perm("accounts.verify_pec_number")
        else None,
    }
    return render(request, "accounts/home.html", context)


def _submit(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    success: str,
    clear: str = "",
) -> Any | None:
    """Validate a posted form and hand it to a service.  Returns what the service returned, or
    None when the form is shown again (not posted, invalid, or refused with field errors)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, success, extra_tags=f"clear-{clear}" if clear else "")
    return result if result is not None else True


@login_required
@require_http_methods(["GET", "POST"])
def user_settings(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = UserSettingsForm(
        request.POST or None,
        initial={"display_name": user.display_name, "preferred_language": user.preferred_language},
    )
    if _submit(
        request,
        form,
        lambda data: services.user_update_settings(user=user, **data),
        success=_("Saved."),
    ):
        response = redirect("accounts:settings")
        _set_language_cookie(response, user.preferred_language)
        return response
    return render(request, "accounts/settings.html", {"form": form})


def _profile_initial(profile: Any, names: tuple[str, ...]) -> dict[str, Any]:
    if profile is None:
        return {}
    initial = {name: getattr(profile, name) for name in names}
    for key, value in list(initial.items()):
        if key in ("country", "country_of_residence"):
            initial[key] = str(value)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def engineer_profile_edit(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.htmx and "province" in request.GET:  # type: ignore[attr-defined]
        province = request.GET.get("province", "")
        if province not in Province.values:
            return HttpResponse(status=400)
        return render(
            request, "accounts/_district_select.html", {"choices": district_choices(province)}
        )
    profile = EngineerProfile.objects.filter(user=user).first()
    form = EngineerProfileForm(
        request.POST or None, initial=_profile_initial(profile, services.ENGINEER_EDITABLE)
    )
    saved = _submit(
        request,
        form,
        lambda data: services.engineer_profile_save(user=user, data=data),
        success=_("Your engineer profile is saved."),
        clear="engineer-profile",
    )
    if saved:
        return redirect("accounts:home")
    return render(
        request, "accounts/engineer_profile_form.html", {"form": form, "profile": profile}
    )


@login_required
@require_http_methods(["GET", "POST"])
def contributor_profile_edit(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    profile = ContributorProfile.objects.filter(user=user).first()
    form = ContributorProfileForm(
        request.POST or None, initial=_profile_initial(profile, services.CONTRIBUTOR_EDITABLE)
    )
    saved = _submit(
        request,
        form,
        lambda data: services.contributor_profile_save(user=user, data=data),
        success=_("Your contributor profile is saved."),
        clear="contributor-profile",
    )
    if saved:
        return redirect("accounts:home")
    return render(
        request,
        "accounts/contributor_profile_form.html",
        {"form": form, "profile": profile, "time_zones": sorted(time_zones())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_create(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = InstitutionForm(request.POST or None)
    institution = _submit(
        request,
        form,
        lambda data: services.institution_create(user=user, data=data),
        success=_("Registered."),
        clear="institution",
    )
    if institution:
        return redirect("accounts:institution_detail", institution_id=institution.pk)
    return render(request, "accounts/institution_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def institution_detail(request: HttpRequest, institution_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        institution = selectors.institution_get_for_user(user=user, institution_id=institution_id)
    except NotFound:
        return _not_found(request)
    try:
        admin_of = selectors.institution_get_for_admin(user=user, institution_id=institution_id)
    except NotFound:
        admin_of = None
    edit_form = InstitutionForm(
        initial=_profile_initial(institution, services.INSTITUTION_EDITABLE)
    )
    member_form = MemberAddForm()
    if request.method == "POST":
        if admin_of is None:
            return _not_found(request)
        if request.POST.get("action") == "add_member":
            member_form = MemberAddForm(request.POST)
            if member_form.is_valid():
                email = member_form.cleaned_data["email"]
                try:
                    services.institution_invite(actor=user, institution=admin_of, email=email)
                except DomainError as error:
                    apply_domain_error(member_form, error)
                else:
                    messages.success(
                        request,
                        _("Invitation sent to %(email)s. They join when they accept it.")
                        % {"email": email},
                    )
                    return redirect("accounts:institution_detail", institution_id=institution_id)
        else:
            edit_form = InstitutionForm(request.POST)
            if edit_form.is_valid():
                try:
                    services.institution_update(
                        user=user, institution=admin_of, data=edit_form.cleaned_data
                    )
                except DomainError as error:
                    apply_domain_error(edit_form, error)
                else:
                    messages.success(request, _("Saved."))
                    return redirect("accounts:institution_detail", institution_id=institution_id)
    invitations = admin_of.invitations.filter(accepted_at__isnull=True) if admin_of else []
    return render(
        request,
        "accounts/institution_detail.html",
        {
            "institution": institution,
            "is_admin": admin_of is not None,
            "members": selectors.institution_members(institution=institution),
            "edit_form": edit_form,
            "member_form": member_form,
            "invitations": invitations,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def privacy(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=user, password=form.cleaned_data["password"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account and profiles have been deleted."))
            return redirect("home")
    return render(request, "accounts/privacy.html", {"form": form})


@login_required
@require_POST
def data_export(request: HttpRequest) -> HttpResponse:
    data = services.user_data_export(user=request.user)  # type: ignore[arg-type]
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="rabta-my-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                token = selectors.api_token_get_for_user(
                    user=user, token_id=int(request.POST["revoke"])
                )
            except (NotFound, ValueError):
                return _not_found(request)
            services.api_token_revoke(token=token)
            messages.success(request, _("Token revoked."))
            return redirect("accounts:api_tokens")
        if form.is_valid():
            try:
                _token, new_key = services.api_token_create(
                    user=user, name=form.cleaned_data["name"]
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": selectors.api_token_list_for_user(user=user),
        },
    )


# --- two factors --------------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:home")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:two_factor_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            static, _c = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
            static.token_set.all().delete()
            codes = [StaticToken.random_token() for _i in range(10)]
            StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
            audit_record(actor=user, action="two_factor.enabled", target=user)
            return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})
        form.add_error(
            "token",
            _("That code is not right. Check the time on your phone and enter the newest code."),
        )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": image.to_string(encoding="unicode"),
            "secret": secret,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:two_factor_setup")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("That code is not right, or it was already used."))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


# --- staff: PEC verification ----------------------------------------------------------------------


@login_required
@permission_required("accounts.verify_pec_number", raise_exception=True)
def verification_queue(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    state = request.GET.get("state", VerificationState.PENDING)
    queryset = selectors.verification_queue(user=user, state=state)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    audit_record(
        actor=user,
        action="personal_data.listed",
        list="verification_queue",
        state=state,
        page=page.number,
    )
    return render(
        request,
        "accounts/verification_queue.html",
        {
            "page": page,
            "state": state,
            "states": VerificationState.choices,
            "form": VerificationDecisionForm(),
        },
    )


@login_required
@permission_required("accounts.verify_pec_number", raise_exception=True)
@require_POST
def verification_decide(request: HttpRequest, profile_id: int) -> HttpResponse:
    form = VerificationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose verify or reject."))
        return redirect("accounts:verification_queue")
    try:
        profile = services.pec_verification_decide(
            actor=request.user,
            profile_id=profile_id,  # type: ignore[arg-type]
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            reviewed_pec_number=form.cleaned_data["pec_number"],
        )
    except DomainError as error:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(
                f'<p class="error" role="alert">{escape(error.message)}</p>',
                status=error.status if error.status != 404 else 404,
            )
        messages.error(request, error.message)
        return redirect("accounts:verification_queue")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "accounts/_verification_decided.html", {"profile": profile})
    messages.success(
        request,
        _("%(number)s is now %(state)s.")
        % {"number": profile.pec_number, "state": profile.get_verification_state_display()},
    )
    return redirect(reverse("accounts:verification_queue") + "?state=pending")


@login_required
@permission_required("accounts.import_pec_register", raise_exception=True)
@require_http_methods(["GET", "POST"])
def register_import(request: HttpRequest) -> HttpResponse:
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    result = None
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.REGISTER_IMPORT_MAX_BYTES:
            form.add_error(
                "file", _("The file is larger than 5 MB. Split it and import each part.")
            )
        else:
            try:
                result = services.pec_register_import(actor=request.user, content=upload.read())  # type: ignore[arg-type]
            except DomainError as error:
                form.add_error("file", error.message)
                errors = error.fields.get("file", [])
    return render(
        request, "accounts/register_import.html", {"form": form, "result": result, "errors": errors}
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
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
