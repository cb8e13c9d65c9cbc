"""Calls to servicio_inventario (docs/internal-api.md): whether products exist and are active."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sis_common.clients import OutcomeUnknown, ServiceClient, ServiceUnavailable

log = logging.getLogger(__name__)
PRODUCTS_PATH = "/internal/inventory/products/"
# inventory's internal endpoint takes ids of at most 18 digits; a bigger one is no product it made
MAX_ASKED_ID = 10**18 - 1


@dataclass(frozen=True)
class Product:
    id: int
    sku: str
    name: str
    is_active: bool


def products_get(ids: list[int]) -> dict[int, Product]:
    """The catalogue entries of `ids` as inventory has them now; unknown ids are absent."""
    ids = sorted({i for i in ids if 1 <= i <= MAX_ASKED_ID})
    if not ids:
        return {}
    client = ServiceClient("inventario")
    # a read changes nothing, so an unknown outcome is simply unavailability
    try:
        answer = client.get(f"{PRODUCTS_PATH}?ids={','.join(str(i) for i in ids)}")
    except OutcomeUnknown as exc:
        raise ServiceUnavailable("inventario", exc.reason) from exc
    if answer.status != 200 or not isinstance(answer.data, dict):
        raise ServiceUnavailable("inventario", f"products answered HTTP {answer.status}")
    found = {}
    for row in answer.data.get("results", []):
        try:
            found[int(row["id"])] = Product(int(row["id"]), str(row.get("sku") or ""), str(row.get("name") or ""),
                                            bool(row.get("is_active", True)))
        except (KeyError, TypeError, ValueError):
            log.error("inventory sent an unreadable product row: %r", row)
            raise ServiceUnavailable("inventario", "unreadable product row") from None
    return found
