"""The second factor: an authenticator app enrolled once, with ten single-use backup codes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rabta.accounts.models import User
from rabta.core.errors import invalid
from rabta.core.services import audit_record

BACKUP_CODES = 10


def two_factor_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator the person is enrolling (made on their first visit)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    return device


def two_factor_enrol(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code it shows; return fresh backup codes (the old
    ones stop working)."""
    if not device.verify_token(token.replace(" ", "")):
        raise invalid(
            "token",
            _("That code is not right. Check the time on your phone and enter the newest code."),
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        static, _created = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
        static.token_set.all().delete()
        codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
        audit_record(actor=user, action="two_factor.enabled", target=user)
    return codes


def two_factor_match(*, user: User, token: str) -> Device:
    """The device that accepts ``token`` (a used backup code is spent)."""
    device = match_token(user, token.replace(" ", ""))
    if device is None:
        raise invalid("token", _("That code is not right, or it was already used."))
    return device
