"""Sales built through the real services, completed as inventory's 201 would complete them."""
from __future__ import annotations

import itertools
from decimal import Decimal

from django.db import transaction

from sales import pricing, services
from sales.models import Sale

_keys = (f"test-key-{i}" for i in itertools.count())
RATE = Decimal("0.18")


def sale_draft(*, branch_id: int, user_id: int, lines: list[tuple[int, str, int]],
               payments: list[tuple[str, str]] | None = None, code: str = "SUC", key: str | None = None,
               request_hash: str = "h", prices_include_tax: bool = False, rate: Decimal = RATE,
               discount: pricing.Discount | None = None, cashier: str = "", customer_id: int | None = None,
               document_type: str = "receipt", costs: dict[int, str] | None = None,
               categories: dict[int, int] | None = None) -> services.SaleDraft:
    """A draft of (product, price, quantity) lines at one rate, priced as checkout prices them;
    `costs` and `categories` are what inventory said of each product (absent: it said nothing)."""
    costs, categories = costs or {}, categories or {}
    priced = pricing.price([pricing.LineIn(Decimal(price), q, rate) for _, price, q in lines],
                           prices_include_tax=prices_include_tax, discount=discount)
    sold = [services.PricedLine(p, f"SKU{p}", f"Product {p}", pricing.money(Decimal(price)), q, x.tax_rate,
                                x.discount, x.net, x.tax, x.total,
                                Decimal(costs[p]) if p in costs else None, categories.get(p))
            for (p, price, q), x in zip(lines, priced.lines)]
    pays = [(m, Decimal(a)) for m, a in payments] if payments else [("cash", priced.total)]
    return services.SaleDraft(
        branch_id=branch_id, branch_code=code, user_id=user_id, idempotency_key=key or next(_keys),
        request_hash=request_hash, tax_rate=rate, prices_include_tax=prices_include_tax, lines=sold, payments=pays,
        totals=priced, settlement=pricing.settle(priced.total, pays),
        discount=None if discount is None else discount.as_dict(), cashier_username=cashier,
        cashier_name=cashier.title(), customer_id=customer_id, document_type=document_type,
    )


def sale_total(lines: list[tuple[int, str, int]], **kwargs) -> Decimal:
    """What a sale of these lines costs, as sale_draft prices it."""
    return pricing.price([pricing.LineIn(Decimal(price), q, kwargs.get("rate", RATE)) for _, price, q in lines],
                         prices_include_tax=kwargs.get("prices_include_tax", False)).total


def make_sale(*, complete: bool = True, **kwargs) -> Sale:
    sale = services.sale_create(draft=sale_draft(**kwargs)).sale
    if complete:
        with transaction.atomic():
            sale = services.sale_complete(sale=Sale.objects.select_for_update().get(pk=sale.pk), stock_move_id=1)
    return sale
