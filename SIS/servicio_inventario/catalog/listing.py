"""The product list's rows as plain dicts in ProductSerializer's public shape.

A page of 50 through ModelSerializer builds and deep-copies its fields and a
model instance per row, which costs more than the query itself; the list is
the busiest read of the system, so it reads plain rows (selectors.product_window,
or values() for a search) and shapes them here. `tests/test_query_counts.py`
keeps this shape equal to ProductSerializer's.
"""
from __future__ import annotations

from django.db.models import QuerySet

from sis_common.bounds import money_text, rate_text

from .selectors import PRODUCT_ROW

SEARCH = "search"
FILTERS = frozenset({SEARCH, "category", "is_active"})


def as_rows(queryset: QuerySet) -> QuerySet:
    return queryset.values(*PRODUCT_ROW)


def public(row: dict) -> dict:
    """One values() row as the API shows a product (money as a two-place string, like DRF's DecimalField)."""
    return {
        "id": row["id"], "sku": row["sku"], "barcode": row["barcode"], "name": row["name"],
        "category": row["category_id"], "price": money_text(row["price"]), "cost": money_text(row["cost"]),
        "tax_rate": rate_text(row["tax_rate"]), "is_active": bool(row["is_active"]),
    }


def has_filters(query_params) -> bool:
    """Whether the list was asked to filter at all (the common unfiltered page skips the filter serializer)."""
    return not FILTERS.isdisjoint(query_params.keys())
