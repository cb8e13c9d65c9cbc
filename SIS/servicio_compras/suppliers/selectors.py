"""Reads on suppliers."""
from __future__ import annotations

from django.db.models import QuerySet

from sis_common.filtersets import filtered

from .filters import SupplierFilter
from .models import Supplier, SupplierProduct


def supplier_list(*, search: str | None = None, is_active: bool | None = None) -> QuerySet[Supplier]:
    return filtered(SupplierFilter, Supplier.objects.all(), search=search, is_active=is_active)


def supplier_product_list(*, supplier_id: int) -> QuerySet[SupplierProduct]:
    return SupplierProduct.objects.filter(supplier_id=supplier_id).order_by("id")
