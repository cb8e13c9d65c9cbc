"""A sale's buyer: which legal document a sale may issue to whom (an invoice needs a customer with a RUC)."""
from __future__ import annotations

from sis_common.errors import DomainError

from .models import DocumentType


def document_check(*, document_type: str, customer_id: int | None) -> None:
    """400 invoice_needs_tax_id for an invoice without a customer.

    Whether the customer exists, is active and has a RUC is servicio_clientes'
    to say (its internal API); until a sale can ask it, only the customer's
    presence is checked here.
    """
    if document_type == DocumentType.INVOICE and customer_id is None:
        message = "An invoice needs a customer with a tax id (RUC)."
        raise DomainError(message, "invoice_needs_tax_id", 400, customer=[message])
