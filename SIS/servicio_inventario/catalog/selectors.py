"""Reads on the catalogue."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, router
from django.db.models import QuerySet

from sis_common.filtersets import filtered

from .filters import ProductFilter
from .models import Category, Product
from .search import search_conditions


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


def product_list(*, category: int | None = None, is_active: bool | None = None) -> QuerySet[Product]:
    return filtered(ProductFilter, Product.objects.all(), category=category, is_active=is_active)


PRODUCT_ROW = ("id", "sku", "barcode", "name", "category_id", "price", "cost", "tax_rate", "is_active")


def product_window(*, anchor: int | None, ascending: bool, limit: int, category: int | None = None,
                   is_active: bool | None = None) -> list[dict]:
    """Up to `limit` product rows past `anchor` by id, nearest first: the keyset page of the unsearched list.

    One SQL statement written out rather than compiled by the ORM: on the system's busiest
    read the ORM's compilation cost more than the query. Routed like any ORM read.
    """
    where, params = [], []
    if anchor is not None:
        where.append("id > %s" if ascending else "id < %s")
        params.append(anchor)
    if category is not None:
        where.append("category_id = %s")
        params.append(category)
    if is_active is not None:
        where.append("is_active = %s")
        params.append(is_active)
    sql = (f"SELECT {', '.join(PRODUCT_ROW)} FROM {Product._meta.db_table}"
           f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id {'ASC' if ascending else 'DESC'} LIMIT %s")
    with connections[router.db_for_read(Product)].cursor() as cur:
        cur.execute(sql, [*params, limit])
        return [dict(zip(PRODUCT_ROW, row)) for row in cur.fetchall()]


def product_search(search: str | None) -> list:
    """The alternatives a product search is the union of (empty: no search)."""
    return search_conditions(search) if search else []


def products_by_ids(*, ids: Iterable[int]) -> list[dict]:
    """What a sale needs of each product (its price, and its cost and category for the product report),
    read from the primary: callers price with it at once."""
    ids = list(ids)
    if not ids:
        return []
    columns = ("id", "sku", "barcode", "name", "price", "tax_rate", "is_active", "cost", "category")
    # written out: every sale asks, and the ORM's compiling cost more than the query
    with connections["default"].cursor() as cur:
        cur.execute(f"SELECT id, sku, barcode, name, price, tax_rate, is_active, cost, category_id "
                    f"FROM {Product._meta.db_table} WHERE id IN ({', '.join(['%s'] * len(ids))}) ORDER BY id", ids)
        return [dict(zip(columns, row)) for row in cur.fetchall()]


def existing_product_ids(*, ids: Iterable[int]) -> set[int]:
    """The ids among `ids` that are products, read from the primary before a write."""
    ids = list(ids)
    if not ids:
        return set()
    # written out: every stock move asks, and the ORM's compiling cost more than the query
    with connections["default"].cursor() as cur:
        cur.execute(f"SELECT id FROM {Product._meta.db_table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
        return {pk for (pk,) in cur.fetchall()}
