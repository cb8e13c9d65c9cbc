"""Customers as the shared suites of sis_common.testing.suites create, list and retire them."""
from __future__ import annotations

from customers.models import Customer
from sis_common.testing.suites.resource import Resource

from .builders import customer_body

CUSTOMERS = Resource(
    slug="clientes", api="customers", list_path="/api/customers/", model=Customer, body=customer_body,
    admin_path="/admin/clientes/customers/customer/",
    # the document is the API's to set (checked by type there): the admin edits the rest
    admin_form=lambda body: {"name": body["name"], "email": "", "phone": "", "address": "", "is_active": "on"},
    retire="deactivate",  # no DELETE: sales keep the customer's id
    key="doc_number", admin_key="name", invalid_body={"doc_type": "dni", "name": "no number"},
    admin_invalid={"name": ""}, detail_label="<id:pk>/",
    refused_role="warehouse",  # cashiers create customers at the till
)
