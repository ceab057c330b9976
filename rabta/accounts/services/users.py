"""Users and roles: registration, the verified address, settings, and granting a role."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rabta.accounts.models import User
from rabta.accounts.roles import SELF_SERVICE_ROLES, Role
from rabta.accounts.tasks import email_verification_send
from rabta.accounts.tokens import email_verification_token_read
from rabta.core.errors import DomainError, ErrorCode
from rabta.core.preferences import preferences_save
from rabta.core.services import audit_record, event_record, save_validated, validate
from rabta.core.tasks import task_enqueue

RESEND_INTERVAL_SECONDS = 60


def role_grant(*, user: User, role: str, actor: User | None = None) -> None:
    group, _created = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    user.__dict__.pop("_role_names", None)
    if role in (Role.ADMINISTRATOR,):
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    audit_record(actor=actor, action="role.granted", target=user, role=str(role))


def _registration_errors(user: User, password: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if "email" not in errors and User.objects.filter(email__iexact=user.email).exists():
        errors["email"] = [_("An account with this email already exists. Try logging in.")]
    return errors


def user_register(
    *,
    email: str,
    password: str,
    display_name: str,
    role: str,
    preferred_language: str = "en",
) -> User:
    if role not in SELF_SERVICE_ROLES:
        raise DomainError(
            ErrorCode.FORBIDDEN, _("That role is granted by the council, not chosen at sign-up.")
        )
    user = User(
        email=User.objects.normalize_email(email or "").strip().lower(),
        display_name=(display_name or "").strip(),
        preferred_language=preferred_language,
    )
    errors = _registration_errors(user, password)
    if errors:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, _("Please correct the highlighted fields."), fields=errors
        )
    user.set_password(password)
    with transaction.atomic():
        try:
            user.save()
        except IntegrityError as exc:  # a concurrent sign-up with the same address
            raise DomainError(
                ErrorCode.VALIDATION_ERROR,
                _("An account with this email already exists. Try logging in."),
                fields={"email": [_("An account with this email already exists.")]},
            ) from exc
        group, _created = Group.objects.get_or_create(name=str(role))
        user.groups.add(group)
        event_record(kind="user.registered", actor_id=user.pk, subject=user)
        task_enqueue(email_verification_send, user.pk)
    return user


def email_verification_resend(*, user: User) -> None:
    """Send a fresh link, at most once a minute (the cache is shared by every app server)."""
    if user.email_verified:
        return
    if not cache.add(f"rabta:verify-resend:{user.pk}", 1, RESEND_INTERVAL_SECONDS):
        raise DomainError(
            ErrorCode.RATE_LIMITED,
            _("We sent a link less than a minute ago. Check your inbox and spam folder."),
        )
    task_enqueue(email_verification_send, user.pk)


def email_verify(*, token: str) -> User:
    parsed = email_verification_token_read(token)
    invalid = DomainError(
        ErrorCode.VALIDATION_ERROR,
        _("This verification link is invalid or has expired. Log in to get a new one."),
    )
    if parsed is None:
        raise invalid
    user_id, email = parsed
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None or user.email != email:
            raise invalid
        if not user.email_verified:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            event_record(kind="user.email_verified", actor_id=user.pk, subject=user)
    return user


def notification_settings_save(
    *, user: User, deliveries: Mapping[str, str], digest_hour: int, time_zone: str
) -> User:
    """Save how ``user`` hears of each kind of notice, their digest hour and their time zone,
    all or nothing."""
    with transaction.atomic():
        user.digest_hour = digest_hour
        user.time_zone = (time_zone or "").strip()
        save_validated(user, exclude=["password"])
        preferences_save(user=user, choices=deliveries)
    return user


def user_time_zone_set(*, user: User, time_zone: str) -> User:
    """Show ``user`` every time, on pages and in emails, in ``time_zone`` from now on; an
    unknown zone is refused and nothing is saved."""
    user.time_zone = (time_zone or "").strip()
    validate(user, exclude=["password"])
    user.save(update_fields=["time_zone"])
    return user


def user_update_settings(*, user: User, display_name: str, preferred_language: str) -> User:
    user.display_name = display_name.strip()
    user.preferred_language = preferred_language
    save_validated(user, exclude=["password"])
    return user
