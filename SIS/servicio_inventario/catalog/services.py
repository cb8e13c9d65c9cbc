"""Writes on the catalogue."""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.shortcuts import get_object_or_404

from sis_common.sucursales_client import company_get

from .models import Category, Product, ProductWord
from .words import name_words

PRODUCT_EDITABLE = frozenset({"sku", "barcode", "name", "category", "price", "cost", "tax_rate", "is_active"})


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
                   tax_rate: Decimal | None = None, is_active: bool = True) -> Product:
    """A new product; without a tax rate it gets the company's default_tax_rate (servicio_sucursales)."""
    if tax_rate is None:
        tax_rate = Decimal(company_get()["default_tax_rate"])
    product = Product.objects.create(sku=sku, name=name, price=price, barcode=barcode or None, category=category,
                                     cost=cost, tax_rate=tax_rate, is_active=is_active)
    product_words_sync(product=product)
    return product


@transaction.atomic
def product_update(*, product_id: int, **fields) -> Product:
    product = get_object_or_404(Product.objects.select_for_update(), pk=product_id)
    for name, value in fields.items():
        if name == "barcode":
            value = value or None  # "" means no barcode
        if name in PRODUCT_EDITABLE:
            setattr(product, name, value)
    product.save()
    if "name" in fields:
        product_words_sync(product=product)
    return product


@transaction.atomic
def product_words_sync(*, product: Product) -> None:
    """Make the product's indexed words (catalog.search) those of its current name."""
    words = name_words(product.name)
    ProductWord.objects.filter(product=product).exclude(word__in=words).delete()
    # ignore_conflicts: the column's collation holds "azúcar" and "azucar" as one word
    ProductWord.objects.bulk_create([ProductWord(word=w, product=product) for w in words], ignore_conflicts=True)
