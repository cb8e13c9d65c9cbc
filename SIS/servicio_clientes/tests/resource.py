"""Customers as the shared suites of sis_common.testing.suites create, list and retire them."""
from __future__ import annotations

from customers.models import Customer
from sis_common.testing.suites.resource import Resource

from .builders import customer_body

CUSTOMERS = Resource(
    slug="clientes", api="customers", list_path="/api/customers/", model=Customer, body=customer_body,
    admin_path="/admin/clientes/customers/customer/",
    # the document is the API's to set (checked by type there): the admin's form holds the rest
    admin_form=lambda body: {"name": body["name"], "email": "", "phone": "", "address": "", "is_active": "on"},
    retire="deactivate",  # no DELETE: a customer is deactivated or anonymized
    key="name",  # unique in every body; what str(customer) and the admin's history show
    invalid_body={"doc_type": "dni", "name": "no number"},
    admin_invalid={"name": ""},
    detail_label="<id:pk>/",
    refused_role="warehouse",  # tills create customers at the POS
)
