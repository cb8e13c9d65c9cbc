"""The client of servicio_inventario's internal API (docs/internal-api.md): products, stock moves by key, stock rows.

ventas prices its sales and moves their stock through it; compras checks what a supplier sells,
puts received goods in and reads the rows below their minimum for its reorder list. A products read changes nothing, so an unknown outcome is just unavailability;
a stock move's unknown outcome is resolved by asking again with the same key, which inventory always
answers with its first answer.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from sis_common.auth import acting
from sis_common.clients import OutcomeUnknown, ServiceClient, ServiceUnavailable

log = logging.getLogger(__name__)
SERVICE = "inventario"
PRODUCTS_PATH = "/internal/inventory/products/"
STOCK_MOVES_PATH = "/internal/inventory/stock-moves/"
# inventory's products endpoint takes ids of at most 18 digits; a bigger one is no product it made
MAX_ASKED_ID = 10**18 - 1
MONEY_LIMIT = Decimal("1e10")  # what a DECIMAL(12,2) column holds


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


def products_get(ids: list[int], *, read_timeout: float = 5.0) -> dict[int, Product]:
    """The catalogue entries of `ids` as inventory has them now; unknown ids are absent (one call)."""
    asked = sorted({i for i in ids if 1 <= i <= MAX_ASKED_ID})
    if not asked:
        return {}
    client = ServiceClient(SERVICE, read_timeout=read_timeout)
    try:
        answer = client.get(f"{PRODUCTS_PATH}?ids={','.join(str(i) for i in asked)}")
    except OutcomeUnknown as exc:
        raise ServiceUnavailable(SERVICE, exc.reason) from exc
    if answer.status != 200 or not isinstance(answer.data, dict):
        raise ServiceUnavailable(SERVICE, f"products answered HTTP {answer.status}")
    found = {}
    for row in answer.data.get("results", []):
        try:
            product = _product(row)
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
            log.error("inventory sent an unreadable product row: %r", row)
            raise ServiceUnavailable(SERVICE, "unreadable product row") from None
        found[product.id] = product
    return found


def _product(row: dict) -> Product:
    rate = row.get("tax_rate")
    rate = None if rate is None else Decimal(str(rate))
    if rate is not None and not Decimal(0) <= rate <= Decimal(1):
        raise ValueError(f"tax rate {rate} outside 0..1")
    cost = row.get("cost")
    cost = None if cost is None else Decimal(str(cost))
    if cost is not None and not Decimal(0) <= cost < MONEY_LIMIT:
        raise ValueError(f"cost {cost} outside a money column")
    category = row.get("category")
    return Product(int(row["id"]), str(row.get("sku") or ""), str(row["name"]), Decimal(str(row["price"])),
                   bool(row.get("is_active", True)), rate, cost, None if category is None else int(category))


class MoveOutcome(str, Enum):
    MOVED = "moved"  # 201: the stock moved (now or on an earlier call with this key)
    SHORT = "short"  # 409 insufficient_stock: nothing moved
    REFUSED = "refused"  # 400, or a 403 of the user's token: inventory refused the request, nothing moved
    UNKNOWN = "unknown"  # anything else: maybe moved; retry with the same key


@dataclass(frozen=True)
class MoveResult:
    outcome: MoveOutcome
    data: dict
    reason: str = ""


@dataclass(frozen=True)
class MoveLine:
    product: int
    quantity: int
    unit_cost: Decimal | None = None  # receipts only: moves the product's average cost

    def as_body(self) -> dict:
        body = {"product": self.product, "quantity": self.quantity}
        if self.unit_cost is not None:
            body["unit_cost"] = f"{self.unit_cost:.2f}"
        return body


def stock_move(*, key: str, kind: str, branch: int, reference: str, user: int, lines: list[MoveLine],
               acting_token: str, supplier_ref: str = "", read_timeout: float = 5.0) -> MoveResult:
    """Ask inventory to move every line, all or none; the same key always gets the first answer.

    `acting_token` is the access token of the user who asked: inventory takes the user and
    branch scope from it (sis_common.auth.acting). The body is built from the arguments alone, in
    product order, so a retry from stored state is the same request.
    """
    body = {"kind": kind, "branch": branch, "reference": reference, "user": user,
            "lines": [line.as_body() for line in sorted(lines, key=lambda x: (x.product, x.quantity))]}
    if supplier_ref:
        body["supplier_ref"] = supplier_ref
    client = ServiceClient(SERVICE, read_timeout=read_timeout)
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
    # a 403 for our own credential is a deployment fault, not the document's: that one waits
    if answer.status == 400 or (answer.status == 403 and code in acting.REFUSALS):
        return MoveResult(MoveOutcome.REFUSED, data, f"HTTP {answer.status} {code}")
    # 409 idempotency_in_progress, 422 key reused (a bug: our body for a key never changes), 401 (the
    # user's token is missing or past inventory's grace: the document waits for an operator), others
    if answer.status == 422:
        log.error("inventory says stock-move key %s was used with another body", key)
    return MoveResult(MoveOutcome.UNKNOWN, data, f"HTTP {answer.status} {code}".strip())


STOCK_PATH = "/internal/inventory/stock/"
STOCK_PAGE = 1000  # the most inventory's stock rows endpoint answers at once


@dataclass(frozen=True)
class StockRow:
    product: int
    sku: str
    name: str
    is_active: bool
    quantity: int
    min_quantity: int
    max_quantity: int | None


def stock_below_min(branch: int, *, limit: int, read_timeout: float = 5.0) -> tuple[list[StockRow], bool]:
    """The branch's stock rows at or below their minimum that a reorder would fill, in inventory's row order:
    at most `limit` of them, and whether there are more. Unreachable, 5xx or unreadable → 503."""
    client = ServiceClient(SERVICE, read_timeout=read_timeout)
    rows: list[StockRow] = []
    after = 0
    while True:
        page = min(STOCK_PAGE, limit - len(rows) + 1)  # one past the limit tells whether there are more
        try:
            answer = client.get(f"{STOCK_PATH}?branch={int(branch)}&below_min=true&after={after}&limit={page}")
        except OutcomeUnknown as exc:
            raise ServiceUnavailable(SERVICE, exc.reason) from exc
        if answer.status != 200 or not isinstance(answer.data, dict):
            raise ServiceUnavailable(SERVICE, f"stock answered HTTP {answer.status}")
        try:
            rows += [_stock_row(row) for row in answer.data["results"]]
            after = answer.data["next"]
            if after is not None:
                after = int(after)
        except (KeyError, TypeError, ValueError):
            log.error("inventory sent an unreadable stock page: %r", answer.data)
            raise ServiceUnavailable(SERVICE, "unreadable stock row") from None
        if len(rows) > limit:
            return rows[:limit], True
        if after is None:
            return rows, False


def _stock_row(row: dict) -> StockRow:
    maximum = row["max_quantity"]
    values = StockRow(int(row["product"]), str(row["sku"]), str(row["name"]), bool(row["is_active"]),
                      int(row["quantity"]), int(row["min_quantity"]), None if maximum is None else int(maximum))
    if values.quantity < 0 or values.min_quantity < 0 or (maximum is not None and values.max_quantity < 0):
        raise ValueError(f"negative level in {row!r}")
    return values
