"""Demo users, one per role, scoped to the demo branches of servicio_sucursales (SUC01 = 1, SUC02 = 2).

The demo manager and the admin get a POS PIN too, so a till's discount and cash-out
approvals can be tried at once; each PIN is printed only when it is set.
"""
from __future__ import annotations

import secrets

from django.db import transaction

from accounts.models import User
from accounts.pins import user_pin_set
from accounts.services import ADMIN_USERNAME, user_create
from sis_common.auth.roles import AUDITOR, CASHIER, MANAGER, WAREHOUSE

DEMO_USERS = (
    ("manager", MANAGER, [1, 2]),
    ("cashier", CASHIER, [1]),
    ("warehouse", WAREHOUSE, [1]),
    ("auditor", AUDITOR, []),
)
PIN_HOLDERS = ("manager", ADMIN_USERNAME)


@transaction.atomic
def demo_users_ensure(*, users=DEMO_USERS) -> list[tuple[str, str, str]]:
    """Create the demo users that do not exist yet; (username, role, password) of each one created."""
    created = []
    for username, role, branches in users:
        if User.objects.select_for_update().filter(username=username).exists():
            continue
        password = secrets.token_urlsafe(12)
        user_create(username=username, password=password, role=role, branches=branches, validate_password=False)
        created.append((username, role, password))
    return created


@transaction.atomic
def demo_pins_ensure(*, usernames=PIN_HOLDERS) -> list[tuple[str, str]]:
    """A random 4-digit PIN for each of these users that exists without one; (username, pin) of each set."""
    given = []
    for user in User.objects.select_for_update().filter(username__in=usernames, pin="").order_by("id"):
        pin = f"{secrets.randbelow(10_000):04d}"
        user_pin_set(user_id=user.pk, pin=pin)
        given.append((user.username, pin))
    return given
