"""Reads on cash sessions: the caller's open session, what a session should hold, its movements."""
from __future__ import annotations

from decimal import Decimal

from django.db import connections
from django.db.models import Q, QuerySet, Sum

from sales.models import Payment, PaymentMethod, SagaStatus, Sale, SaleReturn
from sales.pricing import METHODS
from sis_common.filtersets import filtered

from .filters import SessionFilter
from .models import CashMovement, CashSession


def session_open_id(*, user_id: int, branch_id: int) -> int | None:
    """The id of the user's open session at the branch, read on the primary and locked: a sale joins it.

    The lock keeps the session open until the sale commits (closing waits), and
    only the id is read: every sale asks, and a whole session row is not needed.
    """
    # written out: the ORM's compiling cost more than this indexed lookup
    with connections["default"].cursor() as cur:
        cur.execute(f"SELECT id FROM {CashSession._meta.db_table} WHERE user_id = %s AND branch_id = %s "
                    "AND status = %s ORDER BY id DESC LIMIT 1 FOR UPDATE",
                    [user_id, branch_id, CashSession.Status.OPEN])
        found = cur.fetchone()
    return found[0] if found else None


def session_list(*, branches: frozenset[int] | None, user_id: int | None = None, branch: int | None = None,
                 status: str | None = None) -> QuerySet[CashSession]:
    qs = CashSession.objects.all()
    if branches is not None:
        qs = qs.filter(branch_id__in=branches)
    return filtered(SessionFilter, qs, user_id=user_id, branch=branch, status=status)


def session_expected(*, session: CashSession, using: str | None = None) -> dict:
    """What the till should hold per method: float + completed sales (cash net of change) - refunds,
    and for cash + movements in - movements out."""
    db = using or "default"
    sales = Sale.objects.using(db).filter(session=session, status=SagaStatus.COMPLETED)
    paid = dict(Payment.objects.using(db).filter(sale__in=sales).values("method")
                .annotate(s=Sum("amount")).values_list("method", "s"))
    change = sales.aggregate(s=Sum("change"))["s"] or 0
    refunds = dict(SaleReturn.objects.using(db).filter(session=session, status=SagaStatus.COMPLETED)
                   .values("refund_method").annotate(s=Sum("refund_amount")).values_list("refund_method", "s"))
    expected = {m: (paid.get(m) or 0) - (refunds.get(m) or 0) for m in METHODS}
    moved = movement_totals(session=session, using=db)
    expected[PaymentMethod.CASH] += (session.opening_float - change + moved[CashMovement.Kind.IN]
                                     - moved[CashMovement.Kind.OUT])
    return {m: _cents(v) for m, v in expected.items()}


def movement_totals(*, session: CashSession, using: str | None = None) -> dict[str, Decimal]:
    """The session's cash put in and paid out: {"in": Σ, "out": Σ}."""
    sums = dict(CashMovement.objects.using(using or "default").filter(session=session).values("kind")
                .annotate(s=Sum("amount")).values_list("kind", "s"))
    return {kind: sums.get(kind) or Decimal("0.00") for kind in CashMovement.Kind.values}


def movement_list(*, session: CashSession) -> QuerySet[CashMovement]:
    return CashMovement.objects.filter(session=session).order_by("id")


def session_pending_cash_refunds(*, session: CashSession) -> Decimal:
    """Cash refunds of the session still pending with inventory: promised to a customer, so not for an `out`."""
    return _cents(SaleReturn.objects.using("default")
                  .filter(session=session, status=SagaStatus.PENDING, refund_method=PaymentMethod.CASH)
                  .aggregate(s=Sum("refund_amount"))["s"] or 0)


def session_has_pending(*, session: CashSession) -> bool:
    pending = Q(session=session, status=SagaStatus.PENDING)
    return (Sale.objects.using("default").filter(pending).exists()
            or SaleReturn.objects.using("default").filter(pending).exists())


def _cents(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
