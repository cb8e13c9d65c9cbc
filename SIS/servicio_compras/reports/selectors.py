"""The purchasing reports: open orders by supplier and branch, value received by period, supplier lead time met.

Every report reads only the branches the caller sees (`branches`, None: all) and is computed by the database,
except lead time, which compares dates order by order.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from orders.models import OrderStatus, PurchaseOrder, PurchaseOrderLine, ReceiptLine, ReceiptStatus
from sis_common.bounds import money_text, rate_text
from suppliers.models import SupplierProduct

OPEN = (OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_RECEIVED)
ZERO = Decimal("0.00")
VALUE = DecimalField(max_digits=30, decimal_places=2)


def _value(quantity: str, unit_cost: str) -> Sum:
    return Sum(ExpressionWrapper(F(quantity) * F(unit_cost), output_field=VALUE), output_field=VALUE)


def _scoped(qs: QuerySet, field: str, *, branches: frozenset[int] | None, branch: int | None) -> QuerySet:
    if branches is not None:
        qs = qs.filter(**{f"{field}__in": list(branches)})
    if branch is not None:
        qs = qs.filter(**{field: branch})
    return qs


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _instants(field: str, date_from: date, date_to: date) -> dict:
    """The days as a range of instants (the service's time zone), both days included."""
    return {f"{field}__gte": _day_start(date_from), f"{field}__lt": _day_start(date_to + timedelta(days=1))}


def open_orders(*, branches: frozenset[int] | None, branch: int | None = None, supplier: int | None = None,
                today: date | None = None) -> list[dict]:
    """Per supplier and branch, the orders sent and not closed (confirmed, partially received): how many, how
    many past their expected date, units and value ordered, received and still to come."""
    today = today or timezone.localdate()
    lines = _scoped(PurchaseOrderLine.objects.filter(order__status__in=OPEN), "order__branch_id", branches=branches,
                    branch=branch)
    if supplier is not None:
        lines = lines.filter(order__supplier_id=supplier)
    rows = (lines.values("order__supplier_id", "order__supplier__code", "order__supplier__name", "order__branch_id")
            .annotate(orders=Count("order", distinct=True),
                      overdue_orders=Count("order", distinct=True, filter=Q(order__expected_on__lt=today)),
                      ordered_units=Sum("quantity"), received_units=Sum("received"),
                      ordered_value=_value("quantity", "unit_cost"), received_value=_value("received", "unit_cost"))
            .order_by("order__supplier__code", "order__branch_id"))
    return [{
        "supplier": row["order__supplier_id"], "supplier_code": row["order__supplier__code"],
        "supplier_name": row["order__supplier__name"], "branch": row["order__branch_id"], "orders": row["orders"],
        "overdue_orders": row["overdue_orders"], "ordered_units": row["ordered_units"],
        "received_units": row["received_units"],
        # an order line may be received past its quantity where over-receipt is allowed: nothing is still to come
        "outstanding_units": max(row["ordered_units"] - row["received_units"], 0),
        "ordered_value": money_text(row["ordered_value"] or ZERO),
        "received_value": money_text(row["received_value"] or ZERO),
        "outstanding_value": money_text(max((row["ordered_value"] or ZERO) - (row["received_value"] or ZERO), ZERO)),
    } for row in rows]


RECEIVED_GROUPS = {
    "day": ("date",),
    "branch": ("receipt__order__branch_id",),
    "supplier": ("receipt__order__supplier_id", "receipt__order__supplier__code", "receipt__order__supplier__name"),
}


def received_value(*, date_from: date, date_to: date, group_by: str, branches: frozenset[int] | None,
                   branch: int | None = None, supplier: int | None = None) -> dict:
    """What came into stock from suppliers in the days (receipts completed, by the day inventory took them in):
    receipts, orders, units and value (quantity × the receipt line's unit cost) per day, branch or supplier,
    and the same over all of them. Days, branches or suppliers with nothing received are absent."""
    lines = _scoped(ReceiptLine.objects.filter(receipt__status=ReceiptStatus.COMPLETED,
                                               **_instants("receipt__settled_at", date_from, date_to)),
                    "receipt__order__branch_id", branches=branches, branch=branch)
    if supplier is not None:
        lines = lines.filter(receipt__order__supplier_id=supplier)
    sums = {"receipts": Count("receipt", distinct=True), "orders": Count("receipt__order", distinct=True),
            "units": Sum("quantity"), "value": _value("quantity", "unit_cost")}
    keys = RECEIVED_GROUPS[group_by]
    grouped = lines.annotate(date=TruncDate("receipt__settled_at")) if group_by == "day" else lines
    rows = grouped.values(*keys).annotate(**sums).order_by(*keys[:1] if group_by != "supplier" else keys[1:2])
    total = lines.aggregate(**sums)
    return {"results": [{**_received_keys(group_by, row), **_received_sums(row)} for row in rows],
            "total": _received_sums(total)}


def _received_keys(group_by: str, row: dict) -> dict:
    if group_by == "day":
        return {"date": row["date"].isoformat()}
    if group_by == "branch":
        return {"branch": row["receipt__order__branch_id"]}
    return {"supplier": row["receipt__order__supplier_id"], "supplier_code": row["receipt__order__supplier__code"],
            "supplier_name": row["receipt__order__supplier__name"]}


def _received_sums(row: dict) -> dict:
    return {"receipts": row["receipts"] or 0, "orders": row["orders"] or 0, "units": row["units"] or 0,
            "value": money_text(row["value"] or ZERO)}


def lead_time(*, date_from: date, date_to: date, branches: frozenset[int] | None, branch: int | None = None,
              supplier: int | None = None, today: date | None = None) -> list[dict]:
    """Per supplier, the orders confirmed in the days and whether each came within its lead time: the longest
    `lead_time_days` of its lines' supplier products, counted in days from the day it was confirmed to the day
    of its last completed receipt.

    on_time / late: received (closed as received) within / past it; an order still open past it is late too;
    pending: open, still within it. `on_time_rate` is on_time / (on_time + late); `average_days` the mean days
    to the last receipt of the received ones. Cancelled orders are left out.
    """
    today = today or timezone.localdate()
    orders = _scoped(PurchaseOrder.objects.filter(**_instants("confirmed_at", date_from, date_to))
                     .exclude(status=OrderStatus.CANCELLED), "branch_id", branches=branches, branch=branch)
    if supplier is not None:
        orders = orders.filter(supplier_id=supplier)
    orders = list(orders.annotate(last_receipt=Max("receipts__settled_at",
                                                   filter=Q(receipts__status=ReceiptStatus.COMPLETED)))
                  .values("id", "supplier_id", "supplier__code", "supplier__name", "status", "confirmed_at",
                          "last_receipt").order_by("supplier__code", "id"))
    lead = _lead_days(orders)
    by_supplier: dict[int, dict] = {}
    days_taken: dict[int, list[int]] = defaultdict(list)
    for order in orders:
        row = by_supplier.setdefault(order["supplier_id"], {
            "supplier": order["supplier_id"], "supplier_code": order["supplier__code"],
            "supplier_name": order["supplier__name"], "orders": 0, "received": 0, "on_time": 0, "late": 0,
            "pending": 0})
        row["orders"] += 1
        confirmed = timezone.localdate(order["confirmed_at"])
        allowed = lead.get(order["id"], 0)
        if order["status"] == OrderStatus.RECEIVED and order["last_receipt"] is not None:
            taken = (timezone.localdate(order["last_receipt"]) - confirmed).days
            days_taken[order["supplier_id"]].append(taken)
            row["received"] += 1
            row["on_time" if taken <= allowed else "late"] += 1
        elif (today - confirmed).days > allowed:
            row["late"] += 1
        else:
            row["pending"] += 1
    return [{**row, "on_time_rate": _rate(row["on_time"], row["on_time"] + row["late"]),
             "average_days": _average(days_taken[row["supplier"]])} for row in by_supplier.values()]


def _lead_days(orders: list[dict]) -> dict[int, int]:
    """Each order's lead time: the longest of its lines' supplier products (0 where the supplier has none)."""
    ids = [order["id"] for order in orders]
    supplier_of = {order["id"]: order["supplier_id"] for order in orders}
    products: dict[int, set[int]] = defaultdict(set)
    for start in range(0, len(ids), 1000):
        for order_id, product in (PurchaseOrderLine.objects.filter(order_id__in=ids[start:start + 1000])
                                  .values_list("order_id", "product")):
            products[order_id].add(product)
    wanted = {(supplier_of[o], p) for o, ps in products.items() for p in ps}
    days: dict[tuple[int, int], int] = {}
    suppliers = sorted({s for s, _ in wanted})
    for row in (SupplierProduct.objects.filter(supplier_id__in=suppliers,
                                               product__in=sorted({p for _, p in wanted}))
                .values_list("supplier_id", "product", "lead_time_days")):
        days[(row[0], row[1])] = row[2]
    return {o: max((days.get((supplier_of[o], p), 0) for p in ps), default=0) for o, ps in products.items()}


def _rate(part: int, whole: int) -> str | None:
    return None if not whole else rate_text(Decimal(part) / Decimal(whole))


def _average(values: list[int]) -> str | None:
    if not values:
        return None
    return str((Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
