"""Synthetic staff for load tests (bin/seed-data): per branch a manager, cashiers and a warehouse clerk.

Every seeded user shares one password, hashed once (hashing is deliberately
slow, and thousands of users would take minutes); the role rules of
User.save() (staff flags) are applied here because bulk inserts skip save().
"""
from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User, UserBranch
from sis_common.auth.roles import ADMIN, AUDITOR, CASHIER, MANAGER, STAFF_ROLES, WAREHOUSE

PREFIX = "seed-"


@transaction.atomic
def seed_users_ensure(*, branches: list[dict], cashiers_per_branch: int, auditors: int, password: str) -> list[dict]:
    """Create the missing seeded users; every seeded user as {id, username, role, branches}."""
    wanted: list[tuple[str, str, list[int]]] = [(f"{PREFIX}auditor-{n}", AUDITOR, []) for n in range(1, auditors + 1)]
    for branch in branches:
        code = branch["code"].lower()
        wanted.append((f"{PREFIX}manager-{code}", MANAGER, [branch["id"]]))
        wanted.append((f"{PREFIX}warehouse-{code}", WAREHOUSE, [branch["id"]]))
        wanted += [(f"{PREFIX}cashier-{code}-{n}", CASHIER, [branch["id"]]) for n in range(1, cashiers_per_branch + 1)]
    existing = set(User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
    missing = [w for w in wanted if w[0] not in existing]
    if missing:
        hashed = make_password(password)
        User.objects.bulk_create([
            User(username=name, role=role, password=hashed, is_staff=role in STAFF_ROLES, is_superuser=role == ADMIN)
            for name, role, _ in missing
        ])
        ids = dict(User.objects.filter(username__in=[w[0] for w in missing]).values_list("username", "id"))
        UserBranch.objects.bulk_create([UserBranch(user_id=ids[name], branch_id=b)
                                        for name, _, scope in missing for b in scope])
    users = User.objects.filter(username__in=[w[0] for w in wanted]).prefetch_related("branch_scopes")
    return [{"id": u.pk, "username": u.username, "role": u.role, "branches": sorted(u.branches)} for u in users]
