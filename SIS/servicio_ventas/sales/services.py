"""Writes on sales and returns: create pending, then complete, reject or postpone (the saga's states)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from cash import selectors as cash_selectors
from reports import services as report_services
from reports.services import LineAmount
from sis_common.db.rows import row_insert
from sis_common.errors import DomainError

from . import loyalty, numbering, pricing, refunds
from .models import DocumentType, Payment, ReturnLine, SagaStatus, Sale, SaleLine, SaleReturn


def business_date(moment: datetime) -> date:
    """The calendar day a sale or return belongs to, in the reports' time zone."""
    return timezone.localtime(moment, ZoneInfo(settings.SALES_TIME_ZONE)).date()


def _first_attempt_at(now: datetime) -> datetime:
    # the request that created the saga drives it first; the reconciler only after this
    return now + timedelta(seconds=settings.SALES_RECONCILE_AFTER_SECONDS)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), settings.SALES_RECONCILE_MAX_BACKOFF_SECONDS))


@dataclass(frozen=True)
class PricedLine:
    """A line as sold: what inventory says of the product, and its amounts from sales.pricing."""

    product_id: int
    sku: str
    name: str
    unit_price: Decimal
    quantity: int
    tax_rate: Decimal
    discount: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    unit_cost: Decimal | None = None
    category_id: int | None = None


@dataclass(frozen=True)
class SaleDraft:
    branch_id: int
    branch_code: str
    user_id: int
    idempotency_key: str
    request_hash: str
    tax_rate: Decimal
    prices_include_tax: bool
    lines: list[PricedLine]
    payments: list[tuple[str, Decimal]]
    totals: pricing.Priced
    settlement: pricing.Settlement
    discount: dict | None = None  # the sale's own discount as asked
    cashier_username: str = ""
    cashier_name: str = ""
    approved_by: int | None = None
    approved_by_username: str = ""
    acting_token: str = ""
    customer_id: int | None = None
    document_type: str = DocumentType.RECEIPT
    points_spent: int = 0  # what the points payments spend (sales.loyalty.points_of)


@dataclass(frozen=True)
class CreatedSale:
    """A sale just stored as pending, with the lines and payments written with it."""

    sale: Sale
    lines: list[SaleLine]
    payments: list[Payment]


@transaction.atomic
def sale_create(*, draft: SaleDraft) -> CreatedSale:
    """Store the sale `pending`, in the seller's open session at that branch if there is one."""
    now = timezone.now()
    session_id = cash_selectors.session_open_id(user_id=draft.user_id, branch_id=draft.branch_id)
    sale = Sale(
        branch_id=draft.branch_id, branch_code=draft.branch_code, user_id=draft.user_id, session_id=session_id,
        idempotency_key=draft.idempotency_key, request_hash=draft.request_hash, saga_key=f"sale-{uuid.uuid4().hex}",
        tax_rate=draft.tax_rate, prices_include_tax=draft.prices_include_tax, subtotal=draft.totals.subtotal,
        tax=draft.totals.tax, total=draft.totals.total, discount_total=draft.totals.discount_total,
        discount=draft.discount, paid=draft.settlement.paid, change=draft.settlement.change,
        cashier_username=draft.cashier_username, cashier_name=draft.cashier_name, approved_by=draft.approved_by,
        approved_by_username=draft.approved_by_username, customer_id=draft.customer_id,
        document_type=draft.document_type, business_date=business_date(now), next_attempt_at=_first_attempt_at(now),
        acting_token=draft.acting_token, points_spent=draft.points_spent,
        points_key=loyalty.new_points_key() if draft.points_spent else None,
    )
    row_insert(sale)
    lines = [
        SaleLine(sale=sale, product_id=line.product_id, sku=line.sku, name=line.name, unit_price=line.unit_price,
                 quantity=line.quantity, tax_rate=line.tax_rate, discount=line.discount, net=line.net, tax=line.tax,
                 total=line.total, unit_cost=line.unit_cost, category_id=line.category_id)
        for line in sorted(draft.lines, key=lambda x: x.product_id)
    ]
    payments = [Payment(sale=sale, method=m, amount=pricing.money(a)) for m, a in draft.payments]
    _rows_insert(SaleLine, _LINE_COLUMNS, lines)
    _rows_insert(Payment, _PAYMENT_COLUMNS, payments)
    # last: a shared lock it takes on an existing counter is held only for the commit
    numbering.counters_ensure(branch_id=draft.branch_id, series=numbering.document_series(
        branch_id=draft.branch_id, document_type=draft.document_type))
    return CreatedSale(sale, lines, payments)


_LINE_COLUMNS = ("sale_id", "product_id", "sku", "name", "unit_price", "quantity", "tax_rate", "discount", "net",
                 "tax", "total", "unit_cost", "category_id")
_PAYMENT_COLUMNS = ("sale_id", "method", "amount")


def _rows_insert(model, columns: tuple[str, ...], rows: list) -> None:
    """One multi-row INSERT of plain columns (ids, text, Decimals already in cents, which the driver sends as they are).

    Written out for the lines and payments of every sale: bulk_create spent more preparing the values than
    the database spent storing them. Nothing reads these rows' ids back; the answer is built from `rows`.
    """
    if not rows:
        return
    placeholders = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
                    f"VALUES {', '.join([placeholders] * len(rows))}",
                    [getattr(row, column) for row in rows for column in columns])


# Joins the caller's transaction without a savepoint of its own: its callers never catch its
# errors and go on, and a savepoint costs two round trips on every sale.
@transaction.atomic(savepoint=False)
def sale_complete(*, sale: Sale, stock_move_id: int | None, lines: list[SaleLine] | None = None,
                  payments: list[Payment] | None = None) -> Sale:
    """Inventory moved the stock: number the sale and its document, mark it completed, add it to the daily totals.

    `lines` and `payments` are the sale's own, when the caller has read them already.
    """
    lines = list(sale.lines.all()) if lines is None else lines
    payments = list(sale.payments.all()) if payments is None else payments
    (sale.sequence,) = numbering.sequences_take(branch_id=sale.branch_id)
    sale.number = numbering.sale_number(sale.branch_code, sale.sequence)
    sale.document_series = numbering.document_series(branch_id=sale.branch_id, document_type=sale.document_type)
    (sale.document_sequence,) = numbering.document_take(series=sale.document_series)
    sale.document_number = numbering.document_number(sale.document_series, sale.document_sequence)
    sale.status = SagaStatus.COMPLETED
    sale.stock_move_id = stock_move_id
    sale.completed_at = timezone.now()
    sale.next_attempt_at = None
    sale.last_error = ""
    sale.acting_token = ""  # settled: the token is never forwarded again
    _completion_write(sale)
    settlement = pricing.settle(sale.total, [(p.method, p.amount) for p in payments])
    report_services.daily_totals_add_sale(
        branch_id=sale.branch_id, day=sale.business_date, user_id=sale.user_id, subtotal=sale.subtotal,
        tax=sale.tax, total=sale.total, applied=settlement.applied,
        lines=[LineAmount(x.product_id, x.name, x.quantity, x.total) for x in lines], discount=sale.discount_total,
    )
    loyalty.calls_on_completion(sale=sale, payments=payments)
    return sale


def _completion_write(sale: Sale) -> None:
    """What the completion changes on the sale row, in one written-out UPDATE (the ORM's cost more than the SQL)."""
    ops = connection.ops
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {Sale._meta.db_table} SET sequence = %s, number = %s, document_series = %s, "
            "document_sequence = %s, document_number = %s, status = %s, stock_move_id = %s, completed_at = %s, "
            "next_attempt_at = NULL, last_error = '', acting_token = '' WHERE id = %s",
            [sale.sequence, sale.number, sale.document_series, sale.document_sequence, sale.document_number,
             sale.status, sale.stock_move_id, ops.adapt_datetimefield_value(sale.completed_at), sale.pk])


@transaction.atomic
def sale_reject(*, sale: Sale, rejection: dict) -> Sale:
    """Inventory refused (nothing moved): the sale is final as rejected, with the reason kept."""
    sale.status = SagaStatus.REJECTED
    sale.rejection = rejection
    sale.next_attempt_at = None
    sale.acting_token = ""
    sale.save(update_fields=["status", "rejection", "next_attempt_at", "acting_token"])
    loyalty.calls_on_rejection(sale=sale)
    return sale


@transaction.atomic
def sale_points_held(*, sale: Sale) -> Sale:
    """clientes holds the sale's points: the saga goes on to the stock (and a refusal now releases them)."""
    sale.points_held = True
    sale.save(update_fields=["points_held"])
    return sale


@transaction.atomic
def saga_postpone(*, saga: Sale | SaleReturn, reason: str) -> Sale | SaleReturn:
    """The move's outcome is unknown: stay pending and let the reconciler retry with the same key."""
    saga.attempts += 1
    saga.last_error = reason[:255]
    saga.next_attempt_at = timezone.now() + _backoff(saga.attempts)
    saga.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    return saga


@dataclass(frozen=True)
class ReturnRequest:
    sale_id: int
    user_id: int
    idempotency_key: str
    request_hash: str
    lines: list[tuple[int, int]]
    reason: str
    refund_method: str | None
    approved_by: int | None = None
    acting_token: str = ""


def _returned_so_far(sale: Sale) -> dict[int, int]:
    """Per product, the quantity the sale's returns that are not rejected take back."""
    earlier = SaleReturn.objects.filter(sale=sale).exclude(status=SagaStatus.REJECTED)
    return dict(ReturnLine.objects.filter(sale_return__in=earlier).values("product_id")
                .annotate(q=Sum("quantity")).values_list("product_id", "q"))


@transaction.atomic
def return_create(*, request: ReturnRequest) -> SaleReturn:
    """Store a pending return after checking it against what was sold minus what is already returned."""
    # the sale row lock serialises returns of one sale: two cannot both take the last unit
    sale = Sale.objects.select_for_update().get(pk=request.sale_id)
    if sale.status != SagaStatus.COMPLETED:
        raise DomainError(f"Sale {sale.pk} is {sale.status}; only completed sales take returns.",
                          "sale_not_completed", 409)
    sold = {line.product_id: line for line in sale.lines.all()}
    returned = _returned_so_far(sale)
    _check_returnable(request.lines, sold, returned)
    lines = [(sold[product], quantity, pricing.line_refund(
        net=sold[product].net, tax=sold[product].tax, sold=sold[product].quantity,
        returned_before=returned.get(product, 0), returning=quantity)) for product, quantity in sorted(request.lines)]
    net = sum((amount.net for _, _, amount in lines), pricing.ZERO)
    tax = sum((amount.tax for _, _, amount in lines), pricing.ZERO)
    # under the sale's lock: two returns cannot both take the last of what the card paid
    method = refunds.refund_method_check(sale=sale, method=request.refund_method, amount=net + tax)
    now = timezone.now()
    sale_return = SaleReturn.objects.create(
        sale=sale, branch_id=sale.branch_id, user_id=request.user_id, idempotency_key=request.idempotency_key,
        request_hash=request.request_hash, saga_key=f"return-{uuid.uuid4().hex}",
        session_id=cash_selectors.session_open_id(user_id=request.user_id, branch_id=sale.branch_id),
        reason=request.reason, refund_method=method, subtotal=net, tax=tax,
        refund_amount=net + tax, approved_by=request.approved_by, referenced_document=sale.document_number,
        # the credit note's series follows the corrected document's type; its number comes on completion
        document_series=_credit_note_series(sale),
        business_date=business_date(now),
        next_attempt_at=_first_attempt_at(now), acting_token=request.acting_token,
    )
    ReturnLine.objects.bulk_create([
        ReturnLine(sale_return=sale_return, product_id=line.product_id, quantity=quantity, unit_price=line.unit_price,
                   net=amount.net, tax=amount.tax, total=amount.total)
        for line, quantity, amount in lines
    ])
    numbering.counters_ensure(series=sale_return.document_series)
    return sale_return


def _credit_note_series(sale: Sale) -> str:
    return numbering.document_series(branch_id=sale.branch_id, document_type=sale.document_type, credit_note=True)


def _check_returnable(lines: list[tuple[int, int]], sold: dict[int, SaleLine], returned: dict[int, int]) -> None:
    refused = []
    for product, quantity in lines:
        line = sold.get(product)
        available = (line.quantity - returned.get(product, 0)) if line else 0
        if quantity > available:
            refused.append({"product": product, "sold": line.quantity if line else 0,
                            "returned": returned.get(product, 0), "requested": quantity})
    if refused:
        raise DomainError("A return may not exceed what was sold minus what is already returned.",
                          "return_exceeds_sold", 400, lines=refused)


@transaction.atomic
def return_complete(*, sale_return: SaleReturn, stock_move_id: int | None) -> SaleReturn:
    """Inventory took the stock back: the refund is final, its credit note numbered, counted in the daily totals."""
    if sale_return.document_series is None:  # a return stored before credit notes existed
        sale_return.document_series = _credit_note_series(Sale.objects.get(pk=sale_return.sale_id))
    (sale_return.document_sequence,) = numbering.document_take(series=sale_return.document_series)
    sale_return.document_number = numbering.document_number(sale_return.document_series,
                                                            sale_return.document_sequence)
    sale_return.status = SagaStatus.COMPLETED
    sale_return.stock_move_id = stock_move_id
    sale_return.completed_at = timezone.now()
    sale_return.next_attempt_at = None
    sale_return.last_error = ""
    sale_return.acting_token = ""
    sale_return.save(update_fields=["status", "stock_move_id", "completed_at", "next_attempt_at", "last_error",
                                    "acting_token", "document_series", "document_sequence", "document_number"])
    loyalty.calls_on_return(sale_return=sale_return, customer_id=Sale.objects.filter(pk=sale_return.sale_id)
                            .values_list("customer_id", flat=True).first())
    names = dict(SaleLine.objects.filter(sale_id=sale_return.sale_id).values_list("product_id", "name"))
    report_services.daily_totals_add_return(
        branch_id=sale_return.branch_id, day=sale_return.business_date, user_id=sale_return.user_id,
        refund_method=sale_return.refund_method, amount=sale_return.refund_amount,
        lines=[LineAmount(x.product_id, names.get(x.product_id, ""), x.quantity, x.total)
               for x in sale_return.lines.all()],
    )
    return sale_return


@transaction.atomic
def return_reject(*, sale_return: SaleReturn, rejection: dict) -> SaleReturn:
    sale_return.status = SagaStatus.REJECTED
    sale_return.rejection = rejection
    sale_return.next_attempt_at = None
    sale_return.acting_token = ""
    sale_return.save(update_fields=["status", "rejection", "next_attempt_at", "acting_token"])
    return sale_return
