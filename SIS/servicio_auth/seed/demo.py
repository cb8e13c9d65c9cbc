"""Demo users, one per role, scoped to the demo branches of servicio_sucursales (SUC01 = 1, SUC02 = 2)."""
from __future__ import annotations

import secrets

from django.db import transaction

from accounts.models import User
from accounts.services import user_create
from sis_common.auth.roles import AUDITOR, CASHIER, MANAGER, WAREHOUSE

DEMO_USERS = (
    ("manager", MANAGER, [1, 2]),
    ("cashier", CASHIER, [1]),
    ("warehouse", WAREHOUSE, [1]),
    ("auditor", AUDITOR, []),
)


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
