from typing import Any

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from rabta.accounts.demo import DEMO_STAFF_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current authenticator code of the demo staff accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        totp = TOTP(bytes.fromhex(DEMO_STAFF_TOTP_KEY))
        self.stdout.write(f"{totp.token():06d}")
