"""Writes on the catalogue."""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.shortcuts import get_object_or_404

from .models import Category, Product

PRODUCT_EDITABLE = frozenset({"sku", "barcode", "name", "category", "price", "cost", "is_active"})


@transaction.atomic
def category_create(*, name: str) -> Category:
    return Category.objects.create(name=name)


@transaction.atomic
def category_update(*, category_id: int, name: str) -> Category:
    category = get_object_or_404(Category.objects.select_for_update(), pk=category_id)
    category.name = name
    category.save(update_fields=["name"])
    return category


@transaction.atomic
def product_create(*, sku: str, name: str, price: Decimal, barcode: str | None = None,
                   category: Category | None = None, cost: Decimal = Decimal("0.00"),
                   is_active: bool = True) -> Product:
    return Product.objects.create(sku=sku, name=name, price=price, barcode=barcode or None, category=category,
                                  cost=cost, is_active=is_active)


@transaction.atomic
def product_update(*, product_id: int, **fields) -> Product:
    product = get_object_or_404(Product.objects.select_for_update(), pk=product_id)
    for name, value in fields.items():
        if name == "barcode":
            value = value or None  # "" means no barcode
        if name in PRODUCT_EDITABLE:
            setattr(product, name, value)
    product.save()
    return product
