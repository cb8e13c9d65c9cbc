"""Calls to servicio_inventario (docs/internal-api.md): product prices and stock moves."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from django.conf import settings

from sis_common.auth import acting
from sis_common.clients import OutcomeUnknown, ServiceClient, ServiceUnavailable

log = logging.getLogger(__name__)
PRODUCTS_PATH = "/internal/inventory/products/"
STOCK_MOVES_PATH = "/internal/inventory/stock-moves/"


@dataclass(frozen=True)
class Product:
    id: int
    sku: str
    name: str
    price: Decimal
    is_active: bool
    tax_rate: Decimal | None = None  # None: inventory did not say; the company's default rate applies
    cost: Decimal | None = None  # the moving average cost now; None: inventory did not say
    category_id: int | None = None


def products_get(ids: list[int]) -> dict[int, Product]:
    """The catalogue entries of `ids` as inventory has them now; unknown ids are absent."""
    client = ServiceClient("inventario", read_timeout=settings.SALES_PRICE_TIMEOUT)
    # a product read changes nothing, so an unknown outcome is simply unavailability
    try:
        answer = client.get(f"{PRODUCTS_PATH}?ids={','.join(str(i) for i in sorted(set(ids)))}")
    except OutcomeUnknown as exc:
        raise ServiceUnavailable("inventario", exc.reason) from exc
    if answer.status != 200 or not isinstance(answer.data, dict):
        raise ServiceUnavailable("inventario", f"products answered HTTP {answer.status}")
    found = {}
    for row in answer.data.get("results", []):
        try:
            rate = row.get("tax_rate")
            rate = None if rate is None else Decimal(str(rate))
            if rate is not None and not Decimal(0) <= rate <= Decimal(1):
                raise ValueError(f"tax rate {rate} outside 0..1")
            cost = row.get("cost")
            cost = None if cost is None else Decimal(str(cost))
            if cost is not None and not Decimal(0) <= cost < Decimal("1e10"):
                raise ValueError(f"cost {cost} outside a money column")
            category = row.get("category")
            found[int(row["id"])] = Product(int(row["id"]), str(row.get("sku") or ""), str(row["name"]),
                                            Decimal(str(row["price"])), bool(row.get("is_active", True)), rate,
                                            cost, None if category is None else int(category))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            log.error("inventory sent an unreadable product row: %r", row)
            raise ServiceUnavailable("inventario", "unreadable product row") from None
    return found


class MoveOutcome(str, Enum):
    MOVED = "moved"  # 201: the stock moved (now or on an earlier call with this key)
    SHORT = "short"  # 409 insufficient_stock: nothing moved
    REFUSED = "refused"  # 400: inventory refused the request, nothing moved
    UNKNOWN = "unknown"  # anything else: maybe moved; retry with the same key


@dataclass(frozen=True)
class MoveResult:
    outcome: MoveOutcome
    data: dict
    reason: str = ""


def stock_move(*, key: str, kind: str, branch: int, reference: str, user: int,
               lines: list[tuple[int, int]], acting_token: str) -> MoveResult:
    """Ask inventory to move every line, all or none; the same key always gets the first answer.

    `acting_token` is the access token of the user who asked: inventory takes the
    user and branch scope from it (sis_common.auth.acting).
    """
    body = {"kind": kind, "branch": branch, "reference": reference, "user": user,
            "lines": [{"product": p, "quantity": q} for p, q in sorted(lines)]}
    client = ServiceClient("inventario", read_timeout=settings.SALES_STOCK_MOVE_TIMEOUT)
    try:
        answer = client.post(STOCK_MOVES_PATH, body,
                             headers={"Idempotency-Key": key, **acting.forward_header(acting_token)})
    except (ServiceUnavailable, OutcomeUnknown) as exc:
        return MoveResult(MoveOutcome.UNKNOWN, {}, f"{type(exc).__name__}: {exc.reason}")
    data = answer.data if isinstance(answer.data, dict) else {}
    code = data.get("code", "")
    if answer.status == 201:
        return MoveResult(MoveOutcome.MOVED, data)
    if answer.status == 409 and code == "insufficient_stock":
        return MoveResult(MoveOutcome.SHORT, data)
    # a 403 for our own credential is a deployment fault, not the sale's: that one waits
    if answer.status == 400 or (answer.status == 403 and code in acting.REFUSALS):
        return MoveResult(MoveOutcome.REFUSED, data, f"HTTP {answer.status} {code}")
    # 409 idempotency_in_progress, 422 key reused (a bug: our body for a key never changes), 401 (the
    # user's token is missing or past inventory's grace: the sale waits for an operator), others
    if answer.status == 422:
        log.error("inventory says stock-move key %s was used with another body", key)
    return MoveResult(MoveOutcome.UNKNOWN, data, f"HTTP {answer.status} {code}".strip())
