"""Synthetic completed sales for load tests (bin/seed-data), in bulk but priced, numbered and totalled as real ones.

Lines are priced with inventory's prices (from the stock export of its
seeding) under the company's tax settings (its default rate on every line,
no discounts), totals and settlement come from `pricing`, numbers from each
branch's locked counter (sales.numbering, as sale_complete takes them) and the daily
totals from reports.services in the same transaction as the sales, so the
reports agree with the sales. The stock side is inventory's: every sale is
written to a moves file for its seed_sale_moves, and linked to the resulting
document afterwards (seed_sales_link).
"""
from __future__ import annotations

import csv
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timezone as dt_timezone
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from reports.services import CompletedSale, LineAmount, daily_totals_add_sales
from sales import numbering, pricing
from sales.checkout import LineRequest, sale_request_hash
from sis_common import sucursales_client
from sales.models import DocumentType, Payment, PaymentMethod, SagaStatus, Sale, SaleLine

KEY_PREFIX = "seed"
LINES_PER_SALE = (1, 5)  # uniform: three on average, like the load test's sale
QUANTITY = (1, 3)


@dataclass
class Shelf:
    """What one branch may still sell: (product, sku, name, price) with the quantity left."""

    items: list[list]  # [product, sku, name, price, available]

    def pick(self, rng: random.Random, count: int) -> list[tuple[list, int]]:
        chosen, seen = [], set()
        for _ in range(count * 4):
            item = self.items[rng.randrange(len(self.items))]
            quantity = rng.randint(*QUANTITY)
            if item[0] in seen or item[4] < quantity:
                continue
            seen.add(item[0])
            item[4] -= quantity
            chosen.append((item, quantity))
            if len(chosen) == count:
                break
        return chosen


def read_shelves(path: str) -> dict[int, Shelf]:
    """inventario's seed_stock export: branch, product, available, sku, name, price (tab-separated)."""
    shelves: dict[int, Shelf] = {}
    with open(path, newline="") as fh:
        for branch, product, available, sku, name, price in csv.reader(fh, delimiter="\t"):
            shelves.setdefault(int(branch), Shelf([])).items.append(
                [int(product), sku, name, Decimal(price), int(available)])
    return shelves


def seeded_lines(*, day: date) -> int:
    """Lines of the seeded sales on `day` (a run tops up to the number asked for)."""
    return SaleLine.objects.using("default").filter(sale__business_date=day,
                                                    sale__idempotency_key__startswith=f"{KEY_PREFIX}-").count()


def seed_sales_create(*, shelves: dict[int, Shelf], branch_codes: dict[int, str], cashiers: dict[int, list[int]],
                      lines: int, day: date, moves_path: str, batch: int = 2000, seed: int = 1,
                      advance: Callable[[int], None] = lambda n: None) -> dict:
    """Completed sales with about `lines` lines in all on `day`; their stock moves go to `moves_path`."""
    rng = random.Random(f"{seed}-{day}-{lines}")
    run = uuid.uuid4().hex[:8]
    moment = _moment(day)
    made = {"sales": 0, "lines": 0}
    branches = sorted(b for b in shelves if shelves[b].items and cashiers.get(b))
    if not lines:
        open(moves_path, "w").close()
        return made
    if not branches:
        raise ValueError("nothing to sell: no branch has both stock and cashiers")
    with open(moves_path, "w", newline="") as fh:
        moves = csv.writer(fh, delimiter="\t")
        while made["lines"] < lines:
            planned = _plan(rng, shelves, branches, cashiers, lines - made["lines"], batch)
            if not planned:
                break  # every shelf is empty
            sales = _insert(planned, branch_codes, day, moment, f"{KEY_PREFIX}-{run}-{made['sales']}")
            for sale, (branch, user, picked) in zip(sales, planned):
                moves.writerow([sale.pk, branch, user, moment.isoformat(),
                                *[f"{item[0]}:{quantity}" for item, quantity in picked]])
            count = sum(len(p[2]) for p in planned)
            made["sales"] += len(sales)
            made["lines"] += count
            advance(count)
    return made


def _moment(day: date) -> datetime:
    """When the seeded sales happened: now for today, midday for another day."""
    now = timezone.now()
    return now if day == now.date() else datetime.combine(day, time(12), tzinfo=dt_timezone.utc)


def _plan(rng, shelves, branches, cashiers, lines_left: int, batch: int) -> list[tuple[int, int, list]]:
    planned, lines = [], 0
    while len(planned) < batch and lines < lines_left:
        branch = branches[rng.randrange(len(branches))]
        picked = shelves[branch].pick(rng, min(rng.randint(*LINES_PER_SALE), lines_left - lines))
        if not picked:
            if all(not any(i[4] for i in shelves[b].items) for b in branches):
                break
            continue
        planned.append((branch, rng.choice(cashiers[branch]), picked))
        lines += len(picked)
    return planned


@transaction.atomic
def _insert(planned: list[tuple[int, int, list]], branch_codes: dict[int, str], day: date, moment: datetime,
            key_base: str) -> list[Sale]:
    company = sucursales_client.company_get()
    rate, include_tax = Decimal(str(company["default_tax_rate"])), bool(company["prices_include_tax"])
    # every branch's numbers in one statement each, taken in branch order as sale_complete's single ones
    sequences = {branch: iter(numbering.sequences_take(branch_id=branch, count=count))
                 for branch, count in sorted(Counter(branch for branch, _, _ in planned).items())}
    # then their receipts' legal numbers (seeded sales are receipts), in the same order
    series = {branch: numbering.document_series(branch_id=branch, document_type=DocumentType.RECEIPT)
              for branch in sequences}
    documents = {branch: iter(numbering.document_take(series=series[branch], count=count))
                 for branch, count in sorted(Counter(branch for branch, _, _ in planned).items())}
    sales, details, completed = [], [], []
    for n, (branch, user, picked) in enumerate(planned):
        lines = sorted((item[0], item[1], item[2], pricing.money(item[3]), quantity) for item, quantity in picked)
        totals = pricing.price([pricing.LineIn(price, q, rate) for *_, price, q in lines],
                               prices_include_tax=include_tax)
        payments = _payments(totals.total, n)
        settlement = pricing.settle(totals.total, payments)
        sequence, document = next(sequences[branch]), next(documents[branch])
        sales.append(Sale(
            status=SagaStatus.COMPLETED, user_id=user, idempotency_key=f"{key_base}-{n}",
            request_hash=sale_request_hash(branch_id=branch, lines=[LineRequest(p, q) for p, *_, q in lines],
                                           payments=payments),
            saga_key=f"sale-{uuid.uuid4().hex}", business_date=day, completed_at=moment, branch_id=branch,
            branch_code=branch_codes[branch], sequence=sequence, number=numbering.sale_number(branch_codes[branch], sequence),
            document_series=series[branch], document_sequence=document,
            document_number=numbering.document_number(series[branch], document),
            tax_rate=rate, prices_include_tax=include_tax, subtotal=totals.subtotal, tax=totals.tax,
            total=totals.total, paid=settlement.paid, change=settlement.change,
        ))
        details.append((lines, payments, totals.lines))
        completed.append(CompletedSale(branch, day, user, totals.subtotal, totals.tax, totals.total, settlement.applied,
                                       [LineAmount(p, name, q, amounts.total)
                                        for (p, _, name, _, q), amounts in zip(lines, totals.lines)]))
    Sale.objects.bulk_create(sales)
    Sale.objects.filter(pk__in=[s.pk for s in sales]).update(created_at=moment)
    SaleLine.objects.bulk_create([
        SaleLine(sale=sale, product_id=p, sku=sku, name=name, unit_price=price, quantity=q,
                 tax_rate=amounts.tax_rate, discount=amounts.discount, net=amounts.net, tax=amounts.tax,
                 total=amounts.total)
        for sale, (lines, _, priced) in zip(sales, details)
        for (p, sku, name, price, q), amounts in zip(lines, priced)
    ], batch_size=5000)
    Payment.objects.bulk_create([Payment(sale=sale, method=m, amount=a)
                                 for sale, (_, payments, _) in zip(sales, details) for m, a in payments])
    daily_totals_add_sales(sales=completed)
    return sales


def _payments(total: Decimal, n: int) -> list[tuple[str, Decimal]]:
    """Half cash (rounded up to the next 10, so with change), the rest card or transfer, exact."""
    if n % 2 == 0:
        return [(PaymentMethod.CASH, (total / 10).to_integral_value(rounding=ROUND_CEILING) * 10 or total)]
    return [(PaymentMethod.CARD if n % 4 == 1 else PaymentMethod.TRANSFER, total)]


def read_documents(path: str) -> Iterator[tuple[int, int]]:
    with open(path) as fh:
        for line in fh:
            sale, document = line.split()
            yield int(sale), int(document)


def seed_sales_link(*, documents: Iterator[tuple[int, int]], chunk: int = 1000,
                    advance: Callable[[int], None] = lambda n: None) -> int:
    """Record on each seeded sale the id of inventory's stock document, as the saga does on completion."""
    linked, part = 0, []
    for pair in documents:
        part.append(pair)
        if len(part) == chunk:
            linked += _link(part)
            advance(len(part))
            part = []
    if part:
        linked += _link(part)
        advance(len(part))
    return linked


@transaction.atomic
def _link(pairs: list[tuple[int, int]]) -> int:
    return Sale.objects.filter(pk__in=[s for s, _ in pairs], stock_move_id__isnull=True).update(
        stock_move_id=Case(*[When(pk=s, then=Value(d)) for s, d in pairs]))
