"""Reads on sales and returns."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connections
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from sis_common.filtersets import filtered

from .filters import SaleFilter
from .models import SagaStatus, Sale, SaleReturn


def sale_by_key(*, user_id: int, key: str) -> Sale | None:
    """The sale this user created with this Idempotency-Key (primary: it may be seconds old).

    Asked by every new sale, nearly always in vain: only the id is read, and the
    sale itself only when there is one.
    """
    # written out: the ORM's compiling cost more than this indexed lookup
    with connections["default"].cursor() as cur:
        cur.execute(f"SELECT id FROM {Sale._meta.db_table} WHERE user_id = %s AND idempotency_key = %s",
                    [user_id, key])
        found = cur.fetchone()
    return Sale.objects.using("default").get(pk=found[0]) if found else None


def return_by_key(*, user_id: int, key: str) -> SaleReturn | None:
    return SaleReturn.objects.using("default").filter(user_id=user_id, idempotency_key=key).first()


def _with_details(qs: QuerySet[Sale]) -> QuerySet[Sale]:
    returns = SaleReturn.objects.prefetch_related("lines")
    return qs.prefetch_related("lines", "payments", Prefetch("returns", queryset=returns))


def sale_list(*, branches: frozenset[int] | None, branch: int | None = None, date_from: date | None = None,
              date_to: date | None = None, status: str | None = None) -> QuerySet[Sale]:
    qs = Sale.objects.all()
    if branches is not None:
        qs = qs.filter(branch_id__in=branches)
    return _with_details(filtered(SaleFilter, qs, branch=branch, date_from=date_from, date_to=date_to, status=status))


def sale_fresh(*, sale_id: int) -> Sale:
    """A sale as the primary has it now, with its lines, payments and returns."""
    return _with_details(Sale.objects.using("default")).get(pk=sale_id)


def sale_with_details(sale: Sale, *, lines: list, payments: list, returns: list) -> Sale:
    """`sale` carrying details its caller has already read, as prefetch_related would have loaded them."""
    cache = getattr(sale, "_prefetched_objects_cache", {})
    cache.update({"lines": lines, "payments": payments, "returns": returns})
    sale._prefetched_objects_cache = cache
    return sale


def sale_for_answer(sale: Sale) -> Sale:
    """The sale to show in an answer: as it is when its details came along, else read afresh."""
    loaded = getattr(sale, "_prefetched_objects_cache", {})
    if {"lines", "payments", "returns"} <= loaded.keys():
        return sale
    return sale_fresh(sale_id=sale.pk)


def return_fresh(*, return_id: int) -> SaleReturn:
    return SaleReturn.objects.using("default").prefetch_related("lines").get(pk=return_id)


def pending_due(*, model, limit: int) -> list[int]:
    """Pending sales or returns whose next attempt is due, oldest first, at most `limit`."""
    return list(model.objects.using("default")
                .filter(status=SagaStatus.PENDING, next_attempt_at__lte=timezone.now())
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


CUSTOMER_SALE_FIELDS = ("id", "number", "document_type", "document_number", "branch_id", "total", "business_date",
                        "completed_at")


def customer_sales(*, customer_id: int) -> QuerySet:
    """A customer's completed sales at every branch, as plain rows (keyset-paged by the caller)."""
    return (Sale.objects.filter(customer_id=customer_id, status=SagaStatus.COMPLETED)
            .values(*CUSTOMER_SALE_FIELDS))


def customer_totals(*, customer_id: int) -> dict:
    """How many completed sales a customer has, their total, and what completed returns refunded of them."""
    sales = Sale.objects.filter(customer_id=customer_id, status=SagaStatus.COMPLETED).aggregate(
        count=Count("id"), total=Sum("total"))
    returned = SaleReturn.objects.filter(sale__customer_id=customer_id, sale__status=SagaStatus.COMPLETED,
                                         status=SagaStatus.COMPLETED).aggregate(total=Sum("refund_amount"))
    return {"count": sales["count"], "total": sales["total"] or Decimal("0"),
            "returns_total": returned["total"] or Decimal("0")}
