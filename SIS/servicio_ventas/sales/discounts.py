"""Who may give how much discount: the company's limit per role, above it a manager's PIN (docs/sales.md).

The percent checked is a sale's effective discount (`pricing.Priced.effective_percent`):
the most any one line gets off its price, its own discount and the sale's together,
as asked. A cashier may give up to `discount_limits.cashier`, a manager up to
`discount_limits.manager`, an admin anything. Above the caller's limit the sale needs
`approval: {username, pin}` of a manager or admin of the branch whose own limit
covers it; otherwise 403 `discount_needs_approval`, nothing stored.
"""
from __future__ import annotations

from decimal import Decimal

from sis_common.auth.roles import ADMIN, CASHIER, MANAGER
from sis_common.errors import DomainError

from . import approvals

FULL = Decimal(100)


def limit_for(role: str, limits: dict) -> Decimal:
    """The largest effective percent `role` may give alone."""
    if role == ADMIN:
        return FULL
    if role in (MANAGER, CASHIER):
        return Decimal(str(limits[role]))
    return Decimal(0)


def discount_authorize(*, role: str, effective: Decimal, limits: dict, approval: dict | None,
                       branch_id: int) -> approvals.Approver | None:
    """The approver of a discount above the caller's limit (None when none was needed); 403 otherwise."""
    limit = limit_for(role, limits)
    if effective <= limit:
        return None
    shown = f"{effective.quantize(Decimal('0.01'))}"
    detail = f"A discount of {shown} % is above your limit of {limit:.2f} %; a manager must approve it."
    approver = approvals.approval_require(approval=approval, branch_id=branch_id, code="discount_needs_approval",
                                          detail=detail, limit=f"{limit:.2f}", requested=shown)
    if effective > limit_for(approver.role, limits):
        raise DomainError(f"A discount of {shown} % is above the approver's limit too.", "discount_needs_approval",
                          403, limit=f"{limit_for(approver.role, limits):.2f}", requested=shown)
    return approver
