"""Writes on cash sessions: open with a float, close with what was counted."""
from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

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
def cash_session_close(*, session_id: int, closed_by: int, counted_cash: Decimal,
                       counted_card: Decimal | None = None, counted_transfer: Decimal | None = None,
                       note: str = "") -> CashSession:
    """Close with the counted amounts; expected and difference per method are kept on the session.

    Card and transfer counts default to what is expected (the terminal's and
    the bank's own records); cash is always counted.
    """
    # the lock keeps sales from joining the session while it is being closed
    session = CashSession.objects.select_for_update().get(pk=session_id)
    if session.status != CashSession.Status.OPEN:
        raise DomainError("This cash session is already closed.", "cash_session_closed", 409)
    if selectors.session_has_pending(session=session):
        raise DomainError("Sales or returns of this session are still pending; close once they resolve.",
                          "cash_session_pending", 409)
    expected = selectors.session_expected(session=session)
    session.expected_cash, session.expected_card, session.expected_transfer = (
        expected["cash"], expected["card"], expected["transfer"])
    session.counted_cash = counted_cash
    session.counted_card = expected["card"] if counted_card is None else counted_card
    session.counted_transfer = expected["transfer"] if counted_transfer is None else counted_transfer
    session.status = CashSession.Status.CLOSED
    session.open_marker = None
    session.closed_at = timezone.now()
    session.closed_by = closed_by
    session.note = note
    session.save()
    return session
