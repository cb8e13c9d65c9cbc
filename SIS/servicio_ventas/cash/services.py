"""Writes on cash sessions: open with a float, close with what was counted."""
from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from sales.pricing import METHODS, NON_CASH
from sis_common.errors import DomainError

from . import selectors
from .models import CashSession


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


@transaction.atomic
def cash_session_close(*, session_id: int, closed_by: int, counted_cash: Decimal, note: str = "",
                       **counted_other: Decimal | None) -> CashSession:
    """Close with the counted amounts; expected and difference per method are kept on the session.

    `counted_other` is `counted_<method>` for the methods other than cash; each
    defaults to what is expected (the terminal's and the bank's own records);
    cash is always counted.
    """
    # the lock keeps sales from joining the session while it is being closed
    session = CashSession.objects.select_for_update().get(pk=session_id)
    if session.status != CashSession.Status.OPEN:
        raise DomainError("This cash session is already closed.", "cash_session_closed", 409)
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
    session.save()
    return session
