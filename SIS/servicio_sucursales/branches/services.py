"""Writes on branches."""
from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404

from .models import Branch

EDITABLE = frozenset({"code", "name", "address", "city", "phone", "is_active", "receipt_header", "receipt_footer"})


@transaction.atomic
def branch_create(*, code: str, name: str, address: str = "", city: str = "", phone: str = "",
                  receipt_header: str = "", receipt_footer: str = "", branch_id: int | None = None) -> Branch:
    """A new active branch; `branch_id` pins the id (demo data that other services refer to by id)."""
    return Branch.objects.create(id=branch_id, code=code, name=name, address=address, city=city, phone=phone,
                                 receipt_header=receipt_header, receipt_footer=receipt_footer)


@transaction.atomic
def branch_update(*, branch_id: int, **fields) -> Branch:
    branch = get_object_or_404(Branch.objects.select_for_update(), pk=branch_id)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(branch, name, value)
    branch.save()
    return branch


@transaction.atomic
def branch_deactivate(*, branch_id: int) -> Branch:
    """Deleting a branch only deactivates it: stock, sales and users keep referring to its id."""
    return branch_update(branch_id=branch_id, is_active=False)
