"""Branches as the shared suites of sis_common.testing.suites create, list and retire them."""
from __future__ import annotations

import itertools

from branches.models import Branch
from sis_common.testing.suites.resource import Resource

_codes = (f"R{i:05d}" for i in itertools.count())


def branch_body(**extra) -> dict:
    return {"code": next(_codes), "name": "Centro", "city": "Lima", **extra}


BRANCHES = Resource(
    slug="sucursales", api="branches", list_path="/api/branches/", model=Branch, body=branch_body,
    admin_path="/admin/sucursales/branches/branch/",
    admin_form=lambda body: {"address": "", "phone": "", "is_active": "on", **body},
    retire="delete",  # DELETE deactivates: history keeps the branch
)
