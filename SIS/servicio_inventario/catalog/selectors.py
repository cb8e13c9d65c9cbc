"""Reads on the catalogue."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import Category, Product
from .search import search_conditions


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


def product_list(*, category: int | None = None, is_active: bool | None = None) -> QuerySet[Product]:
    qs = Product.objects.all()
    if category is not None:
        qs = qs.filter(category_id=category)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs


def product_search(search: str | None) -> list[Q]:
    """The alternatives a product search is the union of (empty: no search)."""
    return search_conditions(search) if search else []


def products_by_ids(*, ids: Iterable[int]) -> list[Product]:
    """Products by id, read from the primary: callers price a sale with the answer at once."""
    return list(Product.objects.using("default").filter(pk__in=list(ids)).order_by("pk"))


def existing_product_ids(*, ids: Iterable[int]) -> set[int]:
    """The ids among `ids` that are products, read from the primary before a write."""
    return set(Product.objects.using("default").filter(pk__in=list(ids)).values_list("pk", flat=True))
