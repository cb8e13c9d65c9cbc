"""Products as the shared suites of sis_common.testing.suites create, list and retire them."""
from __future__ import annotations

import itertools
import uuid

from catalog.models import Product
from sis_common.testing.suites.resource import Resource

_serial = itertools.count()
_run = uuid.uuid4().hex[:6].upper()


def product_body(**extra) -> dict:
    return {"sku": f"S-{_run}-{next(_serial):05d}", "name": "Galletas", "price": "3.50", "tax_rate": "0.1800", **extra}


PRODUCTS = Resource(
    slug="inventario", api="inventory", list_path="/api/inventory/products/", model=Product, body=product_body,
    admin_path="/admin/inventario/catalog/product/",
    admin_form=lambda body: {"barcode": "", "category": "", "cost": "0.00", "is_active": "on", **body},
    retire="deactivate",  # no DELETE: a product with history is deactivated
    key="sku", invalid_body={"name": "no sku"}, admin_invalid={"sku": ""},
    detail_label="<id:pk>/",
)
