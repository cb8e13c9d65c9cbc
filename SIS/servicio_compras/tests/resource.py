"""Suppliers as the shared suites of sis_common.testing.suites create, list and retire them."""
from __future__ import annotations

from sis_common.testing.suites.resource import Resource
from suppliers.models import Supplier

from .builders import supplier_body

SUPPLIERS = Resource(
    slug="compras", api="purchasing", list_path="/api/purchasing/suppliers/", model=Supplier, body=supplier_body,
    admin_path="/admin/compras/suppliers/supplier/",
    admin_form=lambda body: {**body, "email": "", "phone": "", "address": "", "payment_terms_days": "0",
                             "is_active": "on"},
    retire="deactivate",  # no DELETE: a supplier is deactivated
)
