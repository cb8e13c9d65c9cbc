"""A completed sale as its printed receipt: the company and branch as they are now, the sale as it was sold.

Company (name, legal name, tax ID), branch (address, header, footer) and the
customer (name, document, address; servicio_clientes) are read when the receipt
is asked for (cached briefly), so a reprint shows today's details and an
anonymized customer stays anonymous; the lines, amounts and cashier are the sale's own.
"""
from __future__ import annotations

from rest_framework.fields import DateTimeField

from sis_common import sucursales_client
from sis_common.bounds import money_text
from sis_common.clients import ServiceUnavailable
from sis_common.errors import DomainError

from . import clientes
from .models import SagaStatus, Sale
from .presentation import tax_breakdown

BRANCH_FIELDS = ("code", "name", "address", "receipt_header", "receipt_footer")
CUSTOMER_FIELDS = ("doc_type", "doc_number", "name", "address")
_moment = DateTimeField().to_representation


def receipt_public(sale: Sale) -> dict:
    """The receipt of a completed sale; 409 sale_not_completed for a pending or rejected one."""
    if sale.status != SagaStatus.COMPLETED:
        raise DomainError(f"Sale {sale.pk} is {sale.status}; only completed sales have a receipt.",
                          "sale_not_completed", 409)
    company = sucursales_client.company_get()
    lines = list(sale.lines.all())
    return {
        "company": {"name": company.get("name", ""), "legal_name": company.get("legal_name", ""),
                    "tax_id": company.get("tax_id", "")},
        "branch": _branch(sale),
        "customer": _customer(sale),
        "cashier": {"username": sale.cashier_username, "full_name": sale.cashier_name or sale.cashier_username},
        "number": sale.number, "document_type": sale.document_type,
        "document_number": sale.document_number, "created_at": _moment(sale.completed_at or sale.created_at),
        "prices_include_tax": sale.prices_include_tax, "currency": company.get("currency", ""),
        "lines": [{"name": x.name, "quantity": x.quantity, "unit_price": money_text(x.unit_price),
                   "discount": money_text(x.discount), "total": money_text(x.total)} for x in lines],
        "tax_breakdown": tax_breakdown(lines),
        "subtotal": money_text(sale.subtotal), "discount_total": money_text(sale.discount_total),
        "tax": money_text(sale.tax), "total": money_text(sale.total),
        "payments": [{"method": p.method, "amount": money_text(p.amount)} for p in sale.payments.all()],
        "change": money_text(sale.change),
    }


def _branch(sale: Sale) -> dict:
    """The branch as sucursales has it; when it is unreachable or the branch closed since, what the sale kept."""
    try:
        branch = sucursales_client.branch_get(sale.branch_id)
    except (ServiceUnavailable, DomainError):
        branch = {"code": sale.branch_code}
    return {field: str(branch.get(field) or "") for field in BRANCH_FIELDS} | {"code": sale.branch_code}


def _customer(sale: Sale) -> dict | None:
    """The buyer as clientes has it now (an anonymized one prints as such); unreachable: only the id the sale kept."""
    if sale.customer_id is None:
        return None
    try:
        customer = clientes.customer_fetch(sale.customer_id) or {}
    except ServiceUnavailable:
        customer = {}
    return {"id": sale.customer_id} | {field: str(customer.get(field) or "") for field in CUSTOMER_FIELDS}
