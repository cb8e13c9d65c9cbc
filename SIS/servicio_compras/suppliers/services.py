"""Writes on suppliers."""
from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404

from .models import Supplier

EDITABLE = frozenset({"code", "name", "tax_id", "email", "phone", "address", "payment_terms_days", "is_active"})


@transaction.atomic
def supplier_create(*, code: str, name: str, tax_id: str, email: str = "", phone: str = "", address: str = "",
                    payment_terms_days: int = 0, is_active: bool = True) -> Supplier:
    return Supplier.objects.create(code=code, name=name, tax_id=tax_id, email=email, phone=phone, address=address,
                                   payment_terms_days=payment_terms_days, is_active=is_active)


@transaction.atomic
def supplier_update(*, supplier_id: int, **fields) -> Supplier:
    supplier = get_object_or_404(Supplier.objects.select_for_update(), pk=supplier_id)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(supplier, name, value)
    supplier.save()
    return supplier
