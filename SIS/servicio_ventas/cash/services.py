"""Writes on cash sessions: open with a float, put cash in or pay it out, close with what was counted (blind)."""
from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from sales.approvals import approval_require
from sales.models import PaymentMethod
from sales.pricing import METHODS, NON_CASH
from sis_common import sucursales_client
from sis_common.auth.roles import CASHIER
from sis_common.bounds import MONEY_MAX, money_text
from sis_common.errors import DomainError

from . import selectors
from .models import CashMovement, CashSession


@transaction.atomic
def cash_session_open(*, user_id: int, branch_id: int, opening_float: Decimal) -> CashSession:
    """Open the user's session at a branch; one open session per user (409 otherwise)."""
    try:
        with transaction.atomic():
            return CashSession.objects.create(user_id=user_id, branch_id=branch_id, opening_float=opening_float)
    except IntegrityError:
        current = CashSession.objects.using("default").filter(user_id=user_id, open_marker=True).first()
        raise DomainError("You already have an open cash session; close it first.", "cash_session_open", 409,
                          session=current.pk if current else None) from None


def _open_locked(session_id: int) -> CashSession:
    """The session, row-locked (sales joining it, movements and the close queue up), 409 unless open."""
    session = CashSession.objects.select_for_update().get(pk=session_id)
    if session.status != CashSession.Status.OPEN:
        raise DomainError("This cash session is already closed.", "cash_session_closed", 409)
    return session


@transaction.atomic
def cash_movement_create(*, session_id: int, user_id: int, kind: str, amount: Decimal, reason: str = "",
                         approved_by: int | None = None) -> CashMovement:
    """Put cash into the drawer or pay it out; an out needs a reason and at most the cash the drawer holds.

    Both outs of two concurrent requests read the drawer under the session's
    row lock, so they cannot both take the last cash.
    """
    reason = reason.strip()
    if kind == CashMovement.Kind.OUT and not reason:
        message = "A cash out needs a reason."
        raise DomainError(message, "reason_required", 400, reason=[message], fields={"reason": [message]})
    session = _open_locked(session_id)
    cash = selectors.session_expected(session=session)[PaymentMethod.CASH]
    if kind == CashMovement.Kind.OUT and amount > cash - selectors.session_pending_cash_refunds(session=session):
        # no figure in the refusal: the cashier's close is blind (docs/sales.md)
        raise DomainError("The drawer does not hold that much cash.", "insufficient_cash", 409)
    if kind == CashMovement.Kind.IN and cash + amount > MONEY_MAX:
        message = f"The drawer would hold more than {money_text(MONEY_MAX)}."
        raise DomainError(message, "amount_too_large", 400, amount=[message], fields={"amount": [message]})
    return CashMovement.objects.create(session=session, kind=kind, amount=amount, reason=reason, user_id=user_id,
                                       approved_by=approved_by)


def cash_out_approver(*, role: str, kind: str, amount: Decimal, approval: dict | None, branch_id: int) -> int | None:
    """The manager approving a cashier's out above the company's `cash_out_limit`, or None when none is needed.

    Managers and admins pay out without one. Without an approval: 403
    `cash_out_needs_approval` (with the limit); a wrong one: 403 `approval_invalid`
    (sales.approvals). Called before the Idempotency-Key is claimed, so the
    refused request can be repeated with the same key and an approval.
    """
    if kind != CashMovement.Kind.OUT or role != CASHIER:
        return None
    limit = Decimal(sucursales_client.company_get()["cash_out_limit"])
    if amount <= limit:
        return None
    return approval_require(approval=approval, branch_id=branch_id, code="cash_out_needs_approval",
                            detail=f"A cash out above {money_text(limit)} needs a manager's approval.",
                            limit=money_text(limit)).user_id


def denominations_total(denominations: list[dict]) -> Decimal:
    """The cash a count by denomination makes: Σ value × count."""
    return sum((d["value"] * d["count"] for d in denominations), Decimal("0.00"))


@transaction.atomic
def cash_session_close(*, session_id: int, closed_by: int, counted_cash: Decimal | None, note: str = "",
                       denominations: list[dict] | None = None,
                       **counted_other: Decimal | None) -> CashSession:
    """Close with the counted amounts; expected and difference per method are kept on the session.

    `counted_other` is `counted_<method>` for the methods other than cash; each
    defaults to what is expected (the terminal's and the bank's own records).
    Cash is always counted: as `counted_cash`, or by `denominations`
    ([{value, count}]) whose Σ value × count is the cash counted (both given: they must agree).
    """
    if denominations is not None:
        total = denominations_total(denominations)
        if total > MONEY_MAX:
            message = f"The denominations add up to more than {money_text(MONEY_MAX)}."
            raise DomainError(message, "denominations_too_large", 400, fields={"denominations": [message]})
        if counted_cash is not None and counted_cash != total:
            message = f"The denominations add up to {money_text(total)}, not {money_text(counted_cash)}."
            raise DomainError(message, "denominations_mismatch", 400, denominations_total=money_text(total),
                              fields={"denominations": [message]})
        counted_cash = total
    if counted_cash is None:
        message = "Count the cash: give counted cash or the denominations."
        raise DomainError(message, "counted_cash_required", 400, fields={"counted": [message]})
    session = _open_locked(session_id)
    if selectors.session_has_pending(session=session):
        raise DomainError("Sales or returns of this session are still pending; close once they resolve.",
                          "cash_session_pending", 409)
    expected = selectors.session_expected(session=session)
    counted = {**{f"counted_{m}": None for m in NON_CASH}, **counted_other, "counted_cash": counted_cash}
    if unknown := set(counted) - {f"counted_{m}" for m in METHODS}:
        raise TypeError(f"cash_session_close got unknown counts {sorted(unknown)}")
    for method in METHODS:
        setattr(session, f"expected_{method}", expected[method])
        count = counted[f"counted_{method}"]
        setattr(session, f"counted_{method}", expected[method] if count is None else count)
    session.status = CashSession.Status.CLOSED
    session.open_marker = None
    session.closed_at = timezone.now()
    session.closed_by = closed_by
    session.note = note
    session.denominations = None if denominations is None else [
        {"value": money_text(d["value"]), "count": d["count"]} for d in denominations]
    session.save()
    return session
