"""A sale's buyer: which legal document a sale may issue to whom (an invoice needs a customer with a RUC)."""
from __future__ import annotations

from sis_common.errors import DomainError

from . import clientes
from .models import DocumentType

TAX_ID_TYPE = "ruc"


def document_check(*, document_type: str, customer_id: int | None) -> dict | None:
    """The sale's customer as clientes has it (None for a walk-in receipt), checked against the document.

    An invoice needs a customer whose document is a RUC: none, or one with a DNI, CE, passport
    or nothing, is 400 invoice_needs_tax_id. A customer clientes does not know or has deactivated
    is 400 unknown_customer; clientes unreachable is 503 (sis_common.clients), nothing stored.
    """
    if customer_id is None:
        if document_type == DocumentType.INVOICE:
            _needs_tax_id()
        return None
    customer = clientes.customer_get(customer_id)
    if document_type == DocumentType.INVOICE and (customer["doc_type"] != TAX_ID_TYPE or not customer["doc_number"]):
        _needs_tax_id()
    return customer


def _needs_tax_id() -> None:
    message = "An invoice needs a customer with a tax id (RUC)."
    raise DomainError(message, "invoice_needs_tax_id", 400, customer=[message])
