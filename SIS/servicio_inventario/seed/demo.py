"""Demo catalogue and stock for a local stack, at the demo branches 1 (SUC01) and 2 (SUC02)."""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from catalog.models import Category, Product
from catalog.services import category_create, product_create
from stock.ledger import Line, stock_apply
from stock.models import Movement
from stock.services import stock_levels_set

DEMO_BRANCHES = {1: 120, 2: 40}  # branch id -> units received of each product
DEMO_MIN_QUANTITY = 15
# given, not the company's default: bootstrap must not depend on servicio_sucursales answering
DEMO_TAX_RATE = Decimal("0.1800")
DEMO_REFERENCE = "demo-bootstrap"
DEMO_PRODUCTS = (
    # sku, barcode, name, category, price, cost
    ("BEB-001", "7750182000011", "Agua mineral sin gas 625 ml", "Bebidas", "1.50", "0.80"),
    ("BEB-002", "7750182000028", "Gaseosa cola 500 ml", "Bebidas", "2.50", "1.40"),
    ("BEB-003", "7750182000035", "Jugo de naranja 1 L", "Bebidas", "4.90", "3.10"),
    ("ABA-001", "7750182000042", "Arroz extra 1 kg", "Abarrotes", "4.20", "3.00"),
    ("ABA-002", "7750182000059", "Azúcar rubia 1 kg", "Abarrotes", "3.80", "2.70"),
    ("ABA-003", "7750182000066", "Aceite vegetal 1 L", "Abarrotes", "8.90", "6.50"),
    ("LIM-001", "7750182000073", "Detergente en polvo 800 g", "Limpieza", "9.50", "6.80"),
    ("LIM-002", "7750182000080", "Lejía 1 L", "Limpieza", "3.20", "2.00"),
)


@transaction.atomic
def demo_catalogue_ensure() -> list[str]:
    """Create the missing demo products (by SKU) with their stock; one summary line when anything was made."""
    existing = set(Product.objects.using("default").filter(sku__in=[p[0] for p in DEMO_PRODUCTS])
                   .values_list("sku", flat=True))
    created = []
    for sku, barcode, name, category_name, price, cost in DEMO_PRODUCTS:
        if sku in existing:
            continue
        category = Category.objects.filter(name=category_name).first() or category_create(name=category_name)
        product = product_create(sku=sku, barcode=barcode, name=name, category=category, price=Decimal(price),
                                 cost=Decimal(cost), tax_rate=DEMO_TAX_RATE)
        for branch_id, units in DEMO_BRANCHES.items():
            stock_apply(kind=Movement.Kind.RECEIPT, lines=[Line(branch_id, product.pk, units)],
                        reference=DEMO_REFERENCE, note="Demo stock")
            stock_levels_set(branch_id=branch_id, product_id=product.pk, min_quantity=DEMO_MIN_QUANTITY)
        created.append(sku)
    if not created:
        return []
    branches = " and ".join(str(b) for b in DEMO_BRANCHES)
    return [f"inventario: demo products {', '.join(created)} created with stock at branches {branches}"]
