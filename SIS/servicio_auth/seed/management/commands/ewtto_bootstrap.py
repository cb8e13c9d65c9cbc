"""`manage.py ewtto_bootstrap`: the first admin (EWTTO_ADMIN_PASSWORD) and, on EWTTO_DEMO=1, one demo user per role
(the manager and the admin with a POS PIN)."""
import os

from django.core.management.base import CommandError

from accounts import services
from seed.demo import demo_pins_ensure, demo_users_ensure
from sis_common.seeding import BootstrapCommand


class Command(BootstrapCommand):
    help = "Create the first admin; with EWTTO_DEMO=1 also one demo user per role (never in production)."
    # demo users are accounts with printed passwords: asking for them in production is stopped, not passed over
    demo_refusal_fails = True

    def first_start(self) -> list[str]:
        try:
            created = services.admin_ensure(password=os.environ.get("EWTTO_ADMIN_PASSWORD", ""))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        return [f"admin user {services.ADMIN_USERNAME} created"] if created else []

    def demo(self) -> list[str]:
        # credentials are printed only for the users this run creates
        users = [f"demo user {username} role {role} password {password}"
                 for username, role, password in demo_users_ensure()]
        return users + [f"demo user {username} POS PIN {pin}" for username, pin in demo_pins_ensure()]
