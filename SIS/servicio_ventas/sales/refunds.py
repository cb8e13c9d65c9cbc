"""Who may refund a sale, and how: back the way it was paid, never more than was paid that way.

- The method must be one the sale was paid with, other than points (what points paid
  is not refunded: 400 points_not_refundable); each method refunds at most what
  it brought in: card and transfer their amounts, cash what was tendered minus the
  change given back (change only ever comes out of cash), less earlier refunds by
  that method (rejected returns do not count). Without a method: cash when the
  sale took cash, else the sale's first payment's method.
- A return of another cashier's sale, or of a sale completed more than the
  company's `return_days` ago, needs a manager: the caller's role (manager, admin)
  or a manager's approval in the request, recorded on the return as `approved_by`:
  `{username, pin}` of a manager or admin of the sale's branch (checked by auth,
  sales.approvals), or `{token}`, such a manager's access token.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from sis_common import sucursales_client
from sis_common.auth.principal import Principal
from sis_common.auth.roles import ADMIN, MANAGER
from sis_common.auth.tokens import TokenRejected, verify_access
from sis_common.errors import DomainError

from . import approvals, pricing
from .models import PaymentMethod, SagaStatus, Sale, SaleReturn

APPROVER_ROLES = frozenset({ADMIN, MANAGER})


def paid_by_method(sale: Sale) -> dict[str, Decimal]:
    """What each method brought in, in payment order: cash net of the change given."""
    paid: dict[str, Decimal] = {}
    for payment in sale.payments.all():
        paid[payment.method] = paid.get(payment.method, pricing.ZERO) + payment.amount
    if PaymentMethod.CASH in paid:
        paid[PaymentMethod.CASH] = max(paid[PaymentMethod.CASH] - sale.change, pricing.ZERO)
    return paid


def refunded_by_method(sale: Sale) -> dict[str, Decimal]:
    rows = (SaleReturn.objects.filter(sale=sale).exclude(status=SagaStatus.REJECTED)
            .values("refund_method").annotate(total=Sum("refund_amount")))
    return {row["refund_method"]: row["total"] for row in rows}


def refund_method_check(*, sale: Sale, method: str | None, amount: Decimal) -> str:
    """The method this refund goes back by; 400 when the sale was not paid that way or not that much."""
    # what points paid is not refunded (docs/customers.md): the points were the customer's, spent for good
    paid = {m: amount for m, amount in paid_by_method(sale).items() if m != PaymentMethod.POINTS}
    if method is None:
        method = PaymentMethod.CASH if PaymentMethod.CASH in paid else next(iter(paid), PaymentMethod.CASH)
    if method == PaymentMethod.POINTS:
        raise DomainError("What points paid is not refunded; refund by the sale's other methods.",
                          "points_not_refundable", 400, methods=sorted(paid))
    if method not in paid:
        raise DomainError(f"Sale {sale.pk} was not paid by {method}; refunds go back the way it was paid.",
                          "refund_method_not_paid", 400, methods=sorted(paid))
    refunded = refunded_by_method(sale)
    available = {m: str(max(paid[m] - refunded.get(m, pricing.ZERO), pricing.ZERO)) for m in paid}
    if amount > Decimal(available[method]):
        raise DomainError(f"A refund of {amount} by {method} exceeds what is left of what was paid that way.",
                          "refund_exceeds_payment", 400, method=method, requested=str(amount), available=available)
    return method


def return_days() -> int:
    """How many days after a sale its cashier may still take a return alone (the company's setting)."""
    return int(sucursales_client.company_get()["return_days"])


def needs_manager(*, sale: Sale, user_id: int, days: int) -> str | None:
    """Why this return needs a manager ("another_cashier", "too_old"), or None."""
    if int(sale.user_id) != int(user_id):
        return "another_cashier"
    completed = sale.completed_at or sale.created_at
    if timezone.now() - completed > timedelta(days=days):
        return "too_old"
    return None


def approver_id(*, approval: dict | None, branch_id: int) -> int | None:
    """The manager approving in the request: a valid access token of a manager or admin for the branch."""
    token = (approval or {}).get("token")
    if not isinstance(token, str) or not token:
        return None
    try:
        claims = verify_access(token)
    except TokenRejected:
        return None
    principal = Principal(claims)
    if principal.role not in APPROVER_ROLES or not principal.may_act_on(branch_id):
        return None
    return int(principal.id)


def return_authorize(*, sale: Sale, user_id: int, role: str, approval: dict | None) -> int | None:
    """Who approved this return (None when nobody had to); 403 `return_needs_manager` otherwise.

    A PIN that auth refuses is its own 403 `approval_invalid` (429 `approval_locked`).
    """
    if role in APPROVER_ROLES:
        return None
    days = return_days()
    reason = needs_manager(sale=sale, user_id=user_id, days=days)
    if reason is None:
        return None
    if (approval or {}).get("pin"):
        return approvals.approval_check(username=str(approval.get("username", "")), pin=str(approval["pin"]),
                                        branch_id=sale.branch_id).user_id
    approver = approver_id(approval=approval, branch_id=sale.branch_id)
    if approver is None:
        detail = ("This sale was made by another cashier" if reason == "another_cashier"
                  else f"This sale is older than {days} days")
        raise DomainError(f"{detail}; a manager must make or approve the return.", "return_needs_manager", 403,
                          reason=reason)
    return approver
