"""Reads on customers."""
from __future__ import annotations

from django.db.models import QuerySet

from sis_common.filtersets import filtered

from .filters import CustomerFilter
from .models import Customer
from .serializers import CustomerExportSerializer


def customer_list(*, search: str | None = None, doc_type: str | None = None, doc_number: str | None = None,
                  is_active: bool | None = None) -> QuerySet[Customer]:
    return filtered(CustomerFilter, Customer.objects.all(), search=search, doc_type=doc_type,
                    doc_number=doc_number, is_active=is_active)


def customer_get_current(*, customer_id: int) -> Customer | None:
    """The customer as the primary has it now (other services act on the answer)."""
    return Customer.objects.using("default").filter(pk=customer_id).first()


def customer_export(*, customer: Customer) -> dict:
    """Everything held on one customer, for a request to see their personal data."""
    return {"customer": CustomerExportSerializer(customer).data}
