"""Synthetic stock and sale moves for load tests (bin/seed-data), thousands of lines at a time through the ledger's bulk path."""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.db import transaction

from catalog.models import Product
from stock.ledger import Line, Move, stock_apply_bulk
from stock.models import Movement, Stock, StockDocument

from .catalog import SKU_PREFIX

SEED_REFERENCE = "seed-stock"


def seeded_products(*, count: int) -> list[int]:
    """The ids of the first `count` seeded products (the assortment every seeded branch carries)."""
    return list(Product.objects.using("default").filter(sku__startswith=SKU_PREFIX).order_by("id")
                .values_list("id", flat=True)[:count])


def seed_stock_ensure(*, branches: list[int], products: list[int], quantity: int, min_quantity: int,
                      batch: int = 5000, advance: Callable[[int], None] = lambda n: None) -> int:
    """Stock rows (with their receipt in the ledger) for every (branch, product) that has none; how many."""
    created = 0
    for branch_id in branches:
        for chunk in _chunks(products, batch):
            created += _receive_new(branch_id, chunk, quantity, min_quantity)
            advance(len(chunk))
    return created


@transaction.atomic
def _receive_new(branch_id: int, products: list[int], quantity: int, min_quantity: int) -> int:
    have = set(Stock.objects.filter(branch_id=branch_id, product_id__in=products).values_list("product_id", flat=True))
    new = [p for p in products if p not in have]
    if not new:
        return 0
    stock_apply_bulk(kind=Movement.Kind.RECEIPT, moves=[
        Move(lines=[Line(branch_id, p, quantity) for p in new], reference=SEED_REFERENCE, note="Seed data")])
    Stock.objects.filter(branch_id=branch_id, product_id__in=new).update(min_quantity=min_quantity)
    return len(new)


def stocked_rows(*, branches: list[int], products: list[int]) -> Iterator[dict]:
    """What a seeded sale may take: (branch, product) with quantity, and the product's sku, name and price."""
    catalogue = {p["id"]: p for p in Product.objects.using("default").filter(pk__in=products)
                 .values("id", "sku", "name", "price", "is_active")}
    for branch_id in branches:
        for chunk in _chunks(products, 20000):
            rows = (Stock.objects.using("default").filter(branch_id=branch_id, product_id__in=chunk, quantity__gt=0)
                    .values_list("product_id", "quantity"))
            for product_id, available in rows:
                product = catalogue[product_id]
                if product["is_active"]:
                    yield {"branch": branch_id, "product": product_id, "available": available, "sku": product["sku"],
                           "name": product["name"], "price": str(product["price"])}


@dataclass(frozen=True)
class SaleMove:
    """One seeded sale's stock move, as servicio_ventas' seeding wrote it."""

    sale: int
    branch: int
    user: int
    created_at: datetime
    lines: list[tuple[int, int]]  # (product, quantity)

    @property
    def reference(self) -> str:
        return f"sale:{self.sale}"  # what the sales saga sends


def read_sale_moves(path: str) -> Iterator[SaleMove]:
    """Rows `sale, branch, user, created_at, product:quantity product:quantity …` (tab-separated)."""
    with open(path, newline="") as fh:
        for sale, branch, user, created_at, *lines in csv.reader(fh, delimiter="\t"):
            yield SaleMove(int(sale), int(branch), int(user), datetime.fromisoformat(created_at),
                           [tuple(map(int, line.split(":"))) for line in lines])


def seed_sale_moves_apply(*, moves: Iterable[SaleMove], batch: int = 2000,
                          advance: Callable[[int], None] = lambda n: None) -> dict[int, int]:
    """Each sale's document and ledger rows, stock taken out; {sale id: document id}. Re-runs skip done sales."""
    documents: dict[int, int] = {}
    iterator = iter(moves)
    while chunk := list(islice(iterator, batch)):
        documents.update(_apply_chunk(chunk))
        advance(sum(len(m.lines) for m in chunk))
    return documents


@transaction.atomic
def _apply_chunk(chunk: list[SaleMove]) -> dict[int, int]:
    done = dict(StockDocument.objects.filter(kind=StockDocument.Kind.SALE,
                                             reference__in=[m.reference for m in chunk])
                .values_list("reference", "id"))
    todo = [m for m in chunk if m.reference not in done]
    result = {int(ref.split(":")[1]): doc for ref, doc in done.items()}
    if not todo:
        return result
    documents = StockDocument.objects.bulk_create([
        StockDocument(kind=StockDocument.Kind.SALE, branch_id=m.branch, reference=m.reference, user_id=m.user,
                      created_at=m.created_at) for m in todo
    ])
    stock_apply_bulk(kind=Movement.Kind.SALE, moves=[
        Move(lines=[Line(move.branch, product, -quantity) for product, quantity in move.lines],
             reference=move.reference, user_id=move.user, document=document, created_at=move.created_at)
        for move, document in zip(todo, documents)])
    result.update({move.sale: document.pk for move, document in zip(todo, documents)})
    return result


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
