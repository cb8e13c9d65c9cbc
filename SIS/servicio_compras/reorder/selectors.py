"""Reorder suggestions: a branch's products at or below their minimum, what to order to reach the desired level,
from which supplier, rounded up to its pack size."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sis_common import inventario_client

from suppliers.models import SupplierProduct

# the most suggestions one list holds; past them the answer says `truncated` (order those, then ask again)
MAX_SUGGESTIONS = 2000


@dataclass(frozen=True)
class Suggestion:
    row: inventario_client.StockRow
    offer: SupplierProduct | None  # the supplier to order from and on what terms; None: no active supplier sells it

    @property
    def target(self) -> int:
        """The level the order fills up to: the maximum, or the minimum when there is none."""
        return self.row.min_quantity if self.row.max_quantity is None else self.row.max_quantity

    @property
    def needed(self) -> int:
        return max(self.target - self.row.quantity, 0)

    @property
    def pack_size(self) -> int:
        return self.offer.pack_size if self.offer else 1

    @property
    def suggested(self) -> int:
        """`needed` rounded up to whole packs: a supplier ships packs, and short is what we are avoiding."""
        return -(-self.needed // self.pack_size) * self.pack_size


def offers_for(*, products: list[int]) -> dict[int, SupplierProduct]:
    """The supplier each product is ordered from: its preferred supplier while active, else the active supplier
    selling it cheapest (then the oldest row); products no active supplier sells are absent."""
    chosen: dict[int, SupplierProduct] = {}
    for start in range(0, len(products), 1000):
        rows = (SupplierProduct.objects.select_related("supplier")
                .filter(product__in=products[start:start + 1000], supplier__is_active=True)
                .order_by("product", "-is_preferred", "unit_cost", "id"))
        for row in rows:
            chosen.setdefault(row.product, row)
    return chosen


def reorder_suggestions(*, branch: int) -> tuple[list[Suggestion], bool]:
    """The branch's suggestions (active products only, something to order each) and whether the list was cut at
    MAX_SUGGESTIONS rows of inventory."""
    rows, truncated = inventario_client.stock_below_min(branch, limit=MAX_SUGGESTIONS)
    rows = [row for row in rows if row.is_active]
    offers = offers_for(products=sorted({row.product for row in rows}))
    suggestions = [Suggestion(row, offers.get(row.product)) for row in rows]
    return [s for s in suggestions if s.needed > 0], truncated


def reorder_groups(suggestions: list[Suggestion]) -> list[dict]:
    """The suggestions grouped by supplier (by code), lines by SKU; products with no supplier last, supplier null."""
    groups: dict[int | None, list[Suggestion]] = {}
    for suggestion in suggestions:
        groups.setdefault(suggestion.offer.supplier_id if suggestion.offer else None, []).append(suggestion)
    ordered = sorted(groups.values(), key=lambda g: (g[0].offer is None, g[0].offer.supplier.code if g[0].offer else ""))
    return [_group(lines) for lines in ordered]


def _group(suggestions: list[Suggestion]) -> dict:
    offer = suggestions[0].offer
    lines = [_line(s) for s in sorted(suggestions, key=lambda s: (s.row.sku, s.row.product))]
    supplier = offer.supplier if offer else None
    return {
        "supplier": None if supplier is None else {"id": supplier.pk, "code": supplier.code, "name": supplier.name},
        "lines": lines,
        "total": None if supplier is None else sum((line["total"] for line in lines), Decimal("0.00")),
    }


def _line(s: Suggestion) -> dict:
    return {
        "product": s.row.product, "sku": s.row.sku, "name": s.row.name, "on_hand": s.row.quantity,
        "min_quantity": s.row.min_quantity, "max_quantity": s.row.max_quantity, "target": s.target,
        "needed": s.needed, "suggested": s.suggested, "pack_size": s.pack_size,
        "unit_cost": s.offer.unit_cost if s.offer else None,
        "supplier_sku": s.offer.supplier_sku if s.offer else "",
        "lead_time_days": s.offer.lead_time_days if s.offer else None,
        "total": s.offer.unit_cost * s.suggested if s.offer else None,
    }
