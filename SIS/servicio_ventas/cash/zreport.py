"""The end-of-day (Z) report of a cash session, built from its sales, returns and movements.

Its figures add up to what the session should hold (cash.selectors.session_expected):
expected cash = opening float + cash sales (net of change) − cash refunds + in − out;
card and transfer = sales − refunds by that method.
"""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum

from sales.models import Payment, PaymentMethod, SagaStatus, Sale, SaleReturn
from sales.pricing import METHODS
from sis_common.bounds import money_text

from . import selectors
from .models import CashMovement, CashSession
from .serializers import MovementSerializer, SessionSerializer

ZERO = Decimal("0.00")


def _by_method(rows: dict[str, dict]) -> dict:
    return {m: {"count": rows.get(m, {}).get("count", 0), "amount": money_text(rows.get(m, {}).get("amount") or ZERO)}
            for m in METHODS}


def _sales(session: CashSession, db: str) -> dict:
    sales = Sale.objects.using(db).filter(session=session, status=SagaStatus.COMPLETED)
    sums = sales.aggregate(count=Count("id"), subtotal=Sum("subtotal"), tax=Sum("tax"), total=Sum("total"),
                           discount_total=Sum("discount_total"), change=Sum("change"))
    change = sums["change"] or ZERO
    paid = {row["method"]: {"count": row["count"], "amount": row["amount"]}
            for row in Payment.objects.using(db).filter(sale__in=sales).values("method")
            .annotate(count=Count("sale", distinct=True), amount=Sum("amount"))}
    if PaymentMethod.CASH in paid:
        # change is given back in cash: the drawer keeps what was tendered less the change
        paid[PaymentMethod.CASH]["amount"] -= change
    return {"count": sums["count"], "subtotal": money_text(sums["subtotal"] or ZERO),
            "tax": money_text(sums["tax"] or ZERO), "total": money_text(sums["total"] or ZERO),
            "discount_total": money_text(sums["discount_total"] or ZERO),
            "change": money_text(change), "by_method": _by_method(paid)}


def _returns(session: CashSession, db: str) -> dict:
    rows = {row["refund_method"]: {"count": row["count"], "amount": row["amount"]}
            for row in SaleReturn.objects.using(db).filter(session=session, status=SagaStatus.COMPLETED)
            .values("refund_method").annotate(count=Count("id"), amount=Sum("refund_amount"))}
    return {"count": sum(r["count"] for r in rows.values()),
            "total": money_text(sum((r["amount"] for r in rows.values()), ZERO)), "by_method": _by_method(rows)}


def _movements(session: CashSession, db: str) -> dict:
    lines = list(CashMovement.objects.using(db).filter(session=session).order_by("id"))
    kinds = {kind: [x for x in lines if x.kind == kind] for kind in CashMovement.Kind.values}
    return {**{kind: {"count": len(xs), "total": money_text(sum((x.amount for x in xs), ZERO))}
               for kind, xs in kinds.items()},
            "lines": MovementSerializer(lines, many=True).data}


def session_report(*, session: CashSession) -> dict:
    """The Z report: while the session is open `expected` is live and `counted`/`difference` are null."""
    db = session._state.db or "default"
    live = {} if session.status == CashSession.Status.CLOSED else {
        session.pk: selectors.session_expected(session=session, using=db)}
    shown = SessionSerializer(session, context={"expected": live}).data
    return {
        "session": session.pk, "branch": session.branch_id, "cashier": session.user_id, "status": session.status,
        "opened_at": shown["opened_at"], "opened_by": session.user_id,
        "closed_at": shown["closed_at"], "closed_by": session.closed_by,
        "opening_float": money_text(session.opening_float),
        "sales": _sales(session, db), "returns": _returns(session, db), "movements": _movements(session, db),
        "expected": shown["expected"], "counted": shown["counted"], "difference": shown["difference"],
        "denominations": shown["denominations"], "note": session.note,
    }
