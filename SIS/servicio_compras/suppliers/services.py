"""Writes on suppliers."""
from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404

from sis_common import inventario_client
from sis_common.errors import DomainError

from .models import Supplier, SupplierProduct

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


def _product_require(product: int) -> None:
    """400 unless inventory knows `product` and sells it (asked before anything is stored)."""
    found = inventario_client.products_get([product]).get(product)
    if found is None:
        raise DomainError(f"Product {product} does not exist.", "unknown_product", 400, product=product)
    if not found.is_active:
        raise DomainError(f"Product {product} is inactive.", "inactive_product", 400, product=product)


def supplier_product_create(*, supplier_id: int, product: int, unit_cost: Decimal, supplier_sku: str = "",
                            pack_size: int = 1, lead_time_days: int = 0, is_preferred: bool = False) -> SupplierProduct:
    """What a supplier sells: a product of inventory, once per supplier; a preferred one is the only
    preferred supplier of that product (the reorder list rounds to its pack size)."""
    supplier = get_object_or_404(Supplier.objects.using("default"), pk=supplier_id)
    _product_require(product)
    try:
        with transaction.atomic():
            if is_preferred:
                SupplierProduct.objects.filter(product=product, is_preferred=True).update(is_preferred=False)
            return SupplierProduct.objects.create(
                supplier=supplier, product=product, supplier_sku=supplier_sku, unit_cost=unit_cost,
                pack_size=pack_size, lead_time_days=lead_time_days, is_preferred=is_preferred)
    except IntegrityError:
        raise DomainError(f"Supplier {supplier.code} already sells product {product}.", "supplier_product_exists",
                          400, product=product) from None
