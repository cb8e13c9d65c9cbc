"""`manage.py ewtto_bootstrap`: the first admin and, on request, demo users (run by bin/up, idempotent).

Environment: EWTTO_ADMIN_PASSWORD (the admin's password when it is created),
EWTTO_DEMO=1 (one user per role; refused under production settings).
Credentials are printed only for users created by this run.
"""
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from seed.demo import demo_users_ensure


class Command(BaseCommand):
    help = "Create the first admin; with EWTTO_DEMO=1 also one demo user per role (never in production)."

    def handle(self, *args, **options):
        demo = os.environ.get("EWTTO_DEMO", "0") == "1"
        if demo and not settings.EWTTO_DEMO_ALLOWED:
            raise CommandError("Demo data is never loaded under production settings (EWTTO_DEMO=1 refused).")
        try:
            if services.admin_ensure(password=os.environ.get("EWTTO_ADMIN_PASSWORD", "")):
                self.stdout.write(f"admin user {services.ADMIN_USERNAME} created")
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if demo:
            for username, role, password in demo_users_ensure():
                self.stdout.write(f"demo user {username} role {role} password {password}")
