"""Driving a pending sale or return to its end: one driver at a time, always the same stock-move key.

The driver holds the sale's (or return's) row lock while it asks inventory, so
the request that created it, a client's retry and the reconciler never drive
it together; whoever finds it locked backs off. Inventory answers a repeated
key with its first answer, so a retry after an unknown outcome either performs
the move or learns that it already happened, never moves twice.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

from sis_common import inventario_client as inventory
from sis_common.audit.services import audit_event_join_change
from sis_common.inventario_client import MoveLine, MoveOutcome, MoveResult

from . import clientes, selectors, services
from .models import SagaStatus, Sale, SaleReturn
from .presentation import sale_public

log = logging.getLogger(__name__)
LOCK_BUSY_ERRORS = frozenset({1205, 3572})  # lock wait timeout (MariaDB's NOWAIT), MySQL's ER_LOCK_NOWAIT


class SagaBusy(Exception):
    """Another request or the reconciler is driving this saga right now."""


@contextmanager
def _busy_when_locked():
    """NOWAIT's lock error means another driver holds the saga: SagaBusy."""
    try:
        yield
    except OperationalError as exc:
        if exc.args and exc.args[0] in LOCK_BUSY_ERRORS:
            raise SagaBusy from exc
        raise


def _locked(model, pk: int):
    with _busy_when_locked():
        return model.objects.select_for_update(nowait=True).get(pk=pk)


def _locked_progress(model, pk: int) -> tuple[str, int]:
    """Lock the row and read only what another driver may have changed: status and attempts.

    Written out: every sale asks once, and the ORM's compiling cost more than the statement.
    """
    with _busy_when_locked(), connection.cursor() as cur:
        cur.execute(f"SELECT status, attempts FROM {model._meta.db_table} WHERE id = %s FOR UPDATE NOWAIT", [pk])
        row = cur.fetchone()
    if row is None:
        raise model.DoesNotExist(f"{model.__name__} {pk} does not exist")
    return row[0], row[1]


def _until_free(drive, pk: int, wait: float):
    deadline = time.monotonic() + wait
    while True:
        try:
            return drive(pk)
        except SagaBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


def sale_drive(*, sale_id: int, wait: float = 0.0) -> Sale:
    """Move the stock of a pending sale and settle it; SagaBusy if someone else is at it past `wait`."""
    return _until_free(_sale_drive_once, sale_id, wait)


def sale_drive_created(*, created: services.CreatedSale, wait: float) -> Sale:
    """sale_drive for the request that has just stored the sale: it already holds its lines and payments."""
    return _until_free(lambda sale_id: _sale_drive_once(sale_id, created=created), created.sale.pk, wait)


@transaction.atomic
def _sale_drive_once(sale_id: int, created: services.CreatedSale | None = None) -> Sale:
    sale = _locked(Sale, sale_id) if created is None else _created_locked(created)
    if sale.status != SagaStatus.PENDING:
        return sale
    if sale.points_spent and not sale.points_held:
        held = clientes.points_hold(key=sale.points_key, customer_id=sale.customer_id, points=sale.points_spent,
                                    reference=f"sale:{sale.pk}")
        if held.outcome is clientes.HoldOutcome.REFUSED:
            return services.sale_reject(sale=sale, rejection=_points_refusal(held))
        if held.outcome is clientes.HoldOutcome.UNKNOWN:
            log.warning("sale %s stays pending: points %s", sale.pk, held.reason)
            return services.saga_postpone(saga=sale, reason=f"points: {held.reason}")
        sale = services.sale_points_held(sale=sale)
    lines = list(sale.lines.all()) if created is None else created.lines
    result = inventory.stock_move(key=sale.saga_key, kind="sale", branch=sale.branch_id,
                                  reference=f"sale:{sale.pk}", user=sale.user_id, acting_token=sale.acting_token,
                                  lines=[MoveLine(x.product_id, x.quantity) for x in lines],
                                  read_timeout=settings.SALES_STOCK_MOVE_TIMEOUT)
    if result.outcome is MoveOutcome.MOVED:
        payments = list(sale.payments.all()) if created is None else created.payments
        sale = services.sale_complete(sale=sale, stock_move_id=result.data.get("id"), lines=lines, payments=payments)
        # a sale completed just now has no returns: the answer needs no further read
        answer = selectors.sale_with_details(sale, lines=lines, payments=payments, returns=[])
        if created is not None:
            # the creating request answers 201 with this sale: its audit event commits with the completion
            # instead of in a transaction of its own after the answer
            audit_event_join_change(status=201, data=sale_public(answer))
        return answer
    if result.outcome is MoveOutcome.SHORT:
        return services.sale_reject(sale=sale, rejection={
            "detail": "Not enough stock for some lines.", "code": "insufficient_stock",
            "lines": result.data.get("lines", []),
        })
    if result.outcome is MoveOutcome.REFUSED:
        return services.sale_reject(sale=sale, rejection=_refusal(result))
    log.warning("sale %s stays pending: %s", sale.pk, result.reason)
    return services.saga_postpone(saga=sale, reason=result.reason)


def _created_locked(created: services.CreatedSale) -> Sale:
    """The sale its creating request holds, locked; read afresh only if another driver settled it meanwhile.

    Of a pending sale nothing changes but the retry bookkeeping, so only status and
    attempts are read: a driver that postponed it has counted an attempt.
    """
    status, attempts = _locked_progress(Sale, created.sale.pk)
    if status != SagaStatus.PENDING:
        return _locked(Sale, created.sale.pk)
    created.sale.attempts = attempts
    return created.sale


def return_drive(*, return_id: int, wait: float = 0.0) -> SaleReturn:
    """Put the stock of a pending return back and settle it; SagaBusy as for sales."""
    return _until_free(_return_drive_once, return_id, wait)


@transaction.atomic
def _return_drive_once(return_id: int) -> SaleReturn:
    sale_return = _locked(SaleReturn, return_id)
    if sale_return.status != SagaStatus.PENDING:
        return sale_return
    result = inventory.stock_move(key=sale_return.saga_key, kind="return", branch=sale_return.branch_id,
                                  reference=f"sale:{sale_return.sale_id}:return:{sale_return.pk}",
                                  user=sale_return.user_id, acting_token=sale_return.acting_token,
                                  lines=[MoveLine(x.product_id, x.quantity) for x in sale_return.lines.all()],
                                  read_timeout=settings.SALES_STOCK_MOVE_TIMEOUT)
    if result.outcome is MoveOutcome.MOVED:
        return services.return_complete(sale_return=sale_return, stock_move_id=result.data.get("id"))
    if result.outcome in (MoveOutcome.SHORT, MoveOutcome.REFUSED):
        return services.return_reject(sale_return=sale_return, rejection=_refusal(result))
    log.warning("return %s stays pending: %s", sale_return.pk, result.reason)
    return services.saga_postpone(saga=sale_return, reason=result.reason)


def _refusal(result: MoveResult) -> dict:
    return {"detail": "Inventory refused the stock move.", "code": "stock_move_refused",
            "inventory": result.data}


def _points_refusal(held: clientes.HoldResult) -> dict:
    if held.data.get("code") == "insufficient_points":
        return {"detail": "The customer does not hold enough points.", "code": "insufficient_points",
                "available": held.data.get("available"), "requested": held.data.get("requested")}
    return {"detail": "The customer's points could not be held.", "code": "points_refused", "clientes": held.data}
