"""Identity documents by type: what a DNI, RUC, CE or passport number is, its normal form, one customer per document."""
from __future__ import annotations

import re

from rest_framework.exceptions import ValidationError

from sis_common.tax_ids import RUC_PATTERN, ruc_valid

from .models import Customer, DocType

MAX_LENGTH = 12
DUPLICATE = "Another customer has this document."
# the rule of each type: its pattern on the normalized number and the message when it does not match
_RULES = {
    DocType.DNI: (r"^[0-9]{8}$", "A DNI is 8 digits."),
    DocType.RUC: (RUC_PATTERN, "A RUC is 11 digits starting with 10, 15, 16, 17 or 20."),
    DocType.CE: (r"^[A-Z0-9]{1,12}$", "A carné de extranjería is 1 to 12 letters or digits."),
    DocType.PASSPORT: (r"^[A-Z0-9]{6,12}$", "A passport number is 6 to 12 letters or digits."),
}


def document_normalize(*, doc_type: str, doc_number: str) -> str:
    """The number as stored (trimmed, upper case) or a ValidationError on `doc_number` with the rule's code."""
    number = doc_number.strip().upper()
    if doc_type == DocType.NONE:
        if number:
            raise ValidationError({"doc_number": ["A customer without a document has no number."]},
                                  code="document_not_allowed")
        return ""
    if not number:
        raise ValidationError({"doc_number": ["This document type needs a number."]}, code="document_required")
    pattern, message = _RULES[doc_type]
    if not re.fullmatch(pattern, number):
        raise ValidationError({"doc_number": [message]}, code="invalid_document")
    if doc_type == DocType.RUC and not ruc_valid(number):
        raise ValidationError({"doc_number": ["The RUC's check digit does not match."]}, code="check_digit")
    return number


def document_unclaimed(*, doc_type: str, doc_number: str, customer_id: int | None) -> None:
    """400 duplicate_document when another customer holds this document (read on the primary)."""
    if not doc_number:
        return
    taken = Customer.objects.using("default").filter(doc_type=doc_type, doc_number=doc_number)
    if customer_id is not None:
        taken = taken.exclude(pk=customer_id)
    if taken.exists():
        raise ValidationError({"doc_number": [DUPLICATE]}, code="duplicate_document")

