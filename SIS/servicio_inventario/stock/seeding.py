"""Synthetic stock and sale moves for load tests (bin/seed-data), in bulk but with the ledger's invariants.

Like ledger.stock_apply, every change locks its stock rows in primary-key
order, refuses to go below zero, changes quantities with F() and appends one
ledger row per line with the balance it left, so for every (branch, product)
the ledger still sums to the stock quantity. It only does so for thousands
of lines per statement instead of one document at a time.
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from catalog.models import Product
from catalog.seeding import SKU_PREFIX

from .ledger import insufficient_stock
from .models import Movement, Stock, StockDocument

SEED_REFERENCE = "seed-stock"
UPDATE_CHUNK = 1000


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
    now = timezone.now()
    Stock.objects.bulk_create([Stock(branch_id=branch_id, product_id=p, quantity=quantity, min_quantity=min_quantity,
                                     updated_at=now) for p in new])
    Movement.objects.bulk_create([
        Movement(branch_id=branch_id, product_id=p, kind=Movement.Kind.RECEIPT, quantity=quantity,
                 balance_after=quantity, reference=SEED_REFERENCE, note="Seed data", created_at=now)
        for p in new
    ])
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
    pairs = sorted({(m.branch, p) for m in todo for p, _ in m.lines})
    rows = _lock(pairs)
    documents = StockDocument.objects.bulk_create([
        StockDocument(kind=StockDocument.Kind.SALE, branch_id=m.branch, reference=m.reference, user_id=m.user,
                      created_at=m.created_at) for m in todo
    ])
    balances = {pair: row.quantity for pair, row in rows.items()}
    movements, short = [], []
    for move, document in zip(todo, documents):
        for product, quantity in move.lines:
            pair = (move.branch, product)
            if pair not in balances or balances[pair] < quantity:
                short.append({"branch": move.branch, "product": product, "requested": quantity,
                              "available": balances.get(pair, 0)})
                continue
            balances[pair] -= quantity
            movements.append(Movement(branch_id=move.branch, product_id=product, kind=Movement.Kind.SALE,
                                      quantity=-quantity, balance_after=balances[pair], reference=move.reference,
                                      user_id=move.user, document=document, created_at=move.created_at))
        result[move.sale] = document.pk
    if short:
        raise insufficient_stock(short[:20])
    Movement.objects.bulk_create(movements, batch_size=5000)
    changed = [(row.pk, balances[pair] - row.quantity) for pair, row in rows.items() if balances[pair] != row.quantity]
    now = timezone.now()
    for part in _chunks(changed, UPDATE_CHUNK):
        Stock.objects.filter(pk__in=[pk for pk, _ in part]).update(
            quantity=F("quantity") + Case(*[When(pk=pk, then=Value(delta)) for pk, delta in part]), updated_at=now)
    return result


def _lock(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], Stock]:
    """Lock the stock rows of `pairs` in primary-key order, as the ledger does."""
    by_branch: dict[int, list[int]] = {}
    for branch_id, product_id in pairs:
        by_branch.setdefault(branch_id, []).append(product_id)
    ids: list[int] = []
    for branch_id, products in by_branch.items():
        ids += Stock.objects.filter(branch_id=branch_id, product_id__in=products).values_list("pk", flat=True)
    locked = Stock.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk")
    return {(row.branch_id, row.product_id): row for row in locked}


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
