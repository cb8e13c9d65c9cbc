"""A sale's loyalty points: what its points payments spend, and the calls owed to servicio_clientes.

Spending is part of the saga (sales.saga holds the points before the stock
moves). What follows a sale's end is owed to clientes and kept as a
`LoyaltyCall` in the same transaction (an outbox): a completed sale confirms its
held points and earns points on what was paid otherwise; a refused one releases
them; a completed return reverses its share. Each call is sent after the commit
and, until clientes answers, by the reconciler, always with its own key, so
clientes counts it once however often it is sent (docs/customers.md).
"""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from decimal import Decimal

from django.db import OperationalError, transaction
from django.utils import timezone

from sis_common.errors import DomainError

from . import clientes, pricing
from .models import LoyaltyCall, PaymentMethod, Sale, SaleReturn

log = logging.getLogger(__name__)
EARNINGS_PATH = "/internal/loyalty/earnings/"
REVERSALS_PATH = "/internal/loyalty/reversals/"
MAX_BACKOFF_SECONDS = 60
# clientes' answers that only a later call can change: a reversal before its sale's earning arrived
WAIT_CODES = frozenset({"earning_not_found", "idempotency_in_progress"})


def points_of(*, payments: list[tuple[str, Decimal]], customer_id: int | None) -> int:
    """How many points the sale's `points` payments spend; 400 without a customer or for part of a point."""
    amount = sum((pricing.money(a) for m, a in payments if m == PaymentMethod.POINTS), pricing.ZERO)
    if not amount:
        return 0
    if customer_id is None:
        message = "Paying with points needs the sale's customer."
        raise DomainError(message, "points_need_customer", 400, customer=[message])
    value = clientes.point_value()
    points = amount / value
    if points != points.to_integral_value():
        message = f"Points pay in steps of {value}: {amount} is not a whole number of points."
        raise DomainError(message, "points_not_whole", 400, payments=[message], point_value=str(value))
    return int(points)


def new_points_key() -> str:
    return f"points-{uuid.uuid4().hex}"


def _reservation_path(sale: Sale, action: str) -> str:
    return f"/internal/loyalty/reservations/{sale.points_key}/{action}/"


def _points_paid(payments) -> Decimal:
    return sum((p.amount for p in payments if p.method == PaymentMethod.POINTS), pricing.ZERO)


def calls_on_completion(*, sale: Sale, payments) -> None:
    """In the completion's transaction: confirm the held points, earn on what was paid other than with points."""
    calls = []
    if sale.points_spent:
        calls.append(LoyaltyCall(kind=LoyaltyCall.Kind.CONFIRM, key=f"confirm-{sale.points_key}", sale=sale,
                                 path=_reservation_path(sale, "confirm"), body={}))
    if sale.customer_id is not None:
        calls.append(LoyaltyCall(kind=LoyaltyCall.Kind.EARN, key=f"earn-sale-{sale.pk}", sale=sale, path=EARNINGS_PATH,
                                 body={"customer": sale.customer_id, "reference": f"sale:{sale.pk}",
                                       "amount": str(sale.total - _points_paid(payments))}))
    _owe(calls)


def calls_on_rejection(*, sale: Sale) -> None:
    """In the rejection's transaction: points held for a sale that will not happen come back."""
    if sale.points_held:
        _owe([LoyaltyCall(kind=LoyaltyCall.Kind.RELEASE, key=f"release-{sale.points_key}", sale=sale,
                          path=_reservation_path(sale, "release"), body={"reference": f"sale:{sale.pk}"})])


def calls_on_return(*, sale_return: SaleReturn, customer_id: int | None) -> None:
    """In the return's completion: its share of the sale's points goes back (clientes works it out)."""
    if customer_id is None:
        return
    reference = f"sale:{sale_return.sale_id}:return:{sale_return.pk}"
    _owe([LoyaltyCall(kind=LoyaltyCall.Kind.REVERSE, key=f"reverse-{reference.replace(':', '-')}",
                      sale_id=sale_return.sale_id, path=REVERSALS_PATH,
                      body={"sale_reference": f"sale:{sale_return.sale_id}", "reference": reference,
                            "amount": str(sale_return.refund_amount)})])


def _owe(calls: list[LoyaltyCall]) -> None:
    if not calls:
        return
    now = timezone.now()
    for call in calls:
        call.next_attempt_at = now
    created = LoyaltyCall.objects.bulk_create(calls)
    ids = [call.pk for call in created]
    # sent once the sale's transaction is committed; what fails waits for the reconciler
    transaction.on_commit(lambda: [call_deliver(call_id=i) for i in ids])


def call_deliver(*, call_id: int) -> bool:
    """Send one owed call if nobody else is; True once clientes has taken it."""
    try:
        with transaction.atomic():
            try:
                call = LoyaltyCall.objects.select_for_update(nowait=True).get(pk=call_id)
            except OperationalError:
                return False  # another process is sending it
            if call.done:
                return True
            return _send(call)
    except Exception:  # a lost database ends this attempt; the reconciler comes back to it
        log.exception("loyalty call %s not sent", call_id)
        return False


def _send(call: LoyaltyCall) -> bool:
    answer = clientes.loyalty_send(path=call.path, key=call.key, body=call.body)
    if isinstance(answer, str):
        return _postpone(call, answer)
    data = answer.data if isinstance(answer.data, dict) else {}
    code = str(data.get("code", ""))
    if 200 <= answer.status < 300:
        call.done, call.answer, call.last_error = True, data, ""
        call.save(update_fields=["done", "answer", "last_error"])
        return True
    if 400 <= answer.status < 500 and answer.status not in (401, 429) and code not in WAIT_CODES:
        # clientes refuses it for good (a bug or a state it cannot be in): kept, logged, not sent again
        log.error("clientes refused loyalty call %s (%s): HTTP %s %s", call.pk, call.kind, answer.status, code)
        call.done, call.answer, call.last_error = True, data, f"refused: HTTP {answer.status} {code}"[:255]
        call.save(update_fields=["done", "answer", "last_error"])
        return True
    return _postpone(call, f"HTTP {answer.status} {code}".strip())


def _postpone(call: LoyaltyCall, reason: str) -> bool:
    call.attempts += 1
    call.last_error = reason[:255]
    call.next_attempt_at = timezone.now() + timedelta(seconds=min(2 ** (call.attempts - 1),
                                                                           MAX_BACKOFF_SECONDS))
    call.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    return False


def calls_due(*, limit: int) -> list[int]:
    return list(LoyaltyCall.objects.using("default").filter(done=False, next_attempt_at__lte=timezone.now())
                .order_by("id").values_list("pk", flat=True)[:limit])
