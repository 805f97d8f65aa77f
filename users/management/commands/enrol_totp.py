"""Give a user a confirmed TOTP device (replacing any) and print its otpauth:// URI.

For operators (a lost phone) and for the rehearsal, which logs in with a known key.
"""

import binascii

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from users.views import TOTP_DEVICE_NAME, confirm_device


class Command(BaseCommand):
    help = (
        "Create (or replace) a confirmed TOTP device for USERNAME, with the given hex key or a "
        "random one, and print its otpauth:// URI. New recovery codes are printed with --codes."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--key", help="secret key in hexadecimal (20 bytes = 40 digits)")
        parser.add_argument(
            "--codes", action="store_true", help="also print the new recovery codes"
        )

    @transaction.atomic
    def handle(self, username, key=None, codes=False, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
        if key:
            try:
                raw = binascii.unhexlify(key)
            except (binascii.Error, ValueError) as exc:
                raise CommandError("--key must be hexadecimal, e.g. 40 hex digits.") from exc
            if not 10 <= len(raw) <= 40:
                raise CommandError("--key must be 10 to 40 bytes (20 to 80 hex digits).")
            device.key = key.lower()
        device.save()
        recovery = confirm_device(user, device)
        self.stdout.write(device.config_url)
        if codes:
            for code in recovery:
                self.stdout.write(code)
