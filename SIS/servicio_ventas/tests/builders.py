"""Sales built through the real services, completed as inventory's 201 would complete them."""
from __future__ import annotations

import itertools
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from sales import pricing, services
from sales.models import Sale

_keys = (f"test-key-{i}" for i in itertools.count())


def sale_draft(*, branch_id: int, user_id: int, lines: list[tuple[int, str, int]],
               payments: list[tuple[str, str]] | None = None, code: str = "SUC", key: str | None = None,
               request_hash: str = "h") -> services.SaleDraft:
    priced = [services.PricedLine(p, f"SKU{p}", f"Product {p}", Decimal(price), q) for p, price, q in lines]
    totals = pricing.totals((x.total for x in priced), settings.SALES_TAX_RATE)
    pays = [(m, Decimal(a)) for m, a in payments] if payments else [("cash", totals.total)]
    return services.SaleDraft(
        branch_id=branch_id, branch_code=code, user_id=user_id, idempotency_key=key or next(_keys),
        request_hash=request_hash, tax_rate=settings.SALES_TAX_RATE, lines=priced, payments=pays, totals=totals,
        settlement=pricing.settle(totals.total, pays),
    )


def make_sale(*, complete: bool = True, **kwargs) -> Sale:
    sale = services.sale_create(draft=sale_draft(**kwargs)).sale
    if complete:
        with transaction.atomic():
            sale = services.sale_complete(sale=Sale.objects.select_for_update().get(pk=sale.pk), stock_move_id=1)
    return sale
