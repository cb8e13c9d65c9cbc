"""Reads on stock, the ledger and transfers, always within a caller's visible branches."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from sis_common.filtersets import filtered

from catalog.models import Product

from .filters import DocumentFilter, MovementFilter, StockFilter, TransferFilter
from .models import Movement, Stock, StockDocument, Transfer


def _in_branches(qs: QuerySet, visible: Iterable[int] | None, field: str = "branch_id") -> QuerySet:
    return qs if visible is None else qs.filter(**{f"{field}__in": list(visible)})


def stock_list(*, visible: Iterable[int] | None = None, branch: int | None = None, product: int | None = None,
               low: bool | None = None) -> QuerySet[Stock]:
    return filtered(StockFilter, _in_branches(Stock.objects.all(), visible), branch=branch, product=product, low=low)


def stock_get(*, branch: int, product: int) -> Stock | None:
    return Stock.objects.filter(branch_id=branch, product_id=product).first()


REORDER_FIELDS = ("id", "product_id", "product__sku", "product__name", "product__is_active", "quantity",
                  "min_quantity", "max_quantity")


def stock_rows_page(*, branch: int, below_min: bool = False, after: int = 0, limit: int) -> list[dict]:
    """Up to `limit` stock rows of `branch` past the row id `after`, in id order, with their product's sku and name.

    `below_min`: only rows at or below their minimum that a reorder would fill, i.e. short of their
    maximum, or of the minimum when there is none (servicio_compras' reorder list); the
    `(branch_id, is_low)` index finds them, the shortfall is checked on those rows only.
    """
    rows = Stock.objects.filter(branch_id=branch, id__gt=after)
    if below_min:
        rows = rows.filter(is_low=True, quantity__lt=Coalesce(F("max_quantity"), F("min_quantity")))
    return list(rows.order_by("id").values(*REORDER_FIELDS)[:limit])


def movement_list(*, visible: Iterable[int] | None = None, branch: int | None = None, product: int | None = None,
                  kind: str | None = None, date_from: date | None = None, date_to: date | None = None,
                  reference: str | None = None) -> QuerySet[Movement]:
    return filtered(MovementFilter, _in_branches(Movement.objects.all(), visible), branch=branch, product=product,
                    kind=kind, date_from=date_from, date_to=date_to, reference=reference)


def document_list(*, kind: str, visible: Iterable[int] | None = None, branch: int | None = None,
                  date_from: date | None = None, date_to: date | None = None) -> QuerySet[StockDocument]:
    """Receipts or adjustments (`kind`) in the caller's branches, with their lines."""
    qs = _in_branches(StockDocument.objects.filter(kind=kind).prefetch_related("lines"), visible)
    return filtered(DocumentFilter, qs, branch=branch, date_from=date_from, date_to=date_to)


def document_get(*, kind: str, document_id: int) -> StockDocument | None:
    return (StockDocument.objects.using("default").prefetch_related("lines")
            .filter(kind=kind, pk=document_id).first())


def product_activity(*, ids: Iterable[int]) -> dict[int, bool]:
    """`is_active` of each id among `ids` that is a product, read from the primary before a write."""
    return dict(Product.objects.using("default").filter(pk__in=list(ids)).values_list("pk", "is_active"))


def transfer_list(*, visible: Iterable[int] | None = None, status: str | None = None,
                  branch: int | None = None) -> QuerySet[Transfer]:
    qs = Transfer.objects.prefetch_related("lines")
    if visible is not None:
        ids = list(visible)
        qs = qs.filter(Q(from_branch__in=ids) | Q(to_branch__in=ids))
    return filtered(TransferFilter, qs, status=status, branch=branch)


def transfer_get(*, transfer_id: int) -> Transfer | None:
    return Transfer.objects.using("default").prefetch_related("lines").filter(pk=transfer_id).first()


def ledger_mismatches(*, branch: int | None = None) -> list[dict]:
    """(branch, product) pairs whose ledger does not sum to the stock quantity: always empty, or a bug."""
    sums = Movement.objects.using("default").values("branch_id", "product_id").annotate(total=Sum("quantity"))
    stock = Stock.objects.using("default").all()
    if branch is not None:
        sums, stock = sums.filter(branch_id=branch), stock.filter(branch_id=branch)
    ledger = {(r["branch_id"], r["product_id"]): r["total"] for r in sums.order_by()}
    quantities = {(s.branch_id, s.product_id): s.quantity for s in stock}
    return [
        {"branch": b, "product": p, "quantity": quantities.get((b, p), 0), "ledger": ledger.get((b, p), 0)}
        for b, p in sorted(set(ledger) | set(quantities))
        if quantities.get((b, p), 0) != ledger.get((b, p), 0)
    ]
