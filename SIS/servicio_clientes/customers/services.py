"""Writes on customers: create, edit, anonymize (no delete: sales keep the customer's id)."""
from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sis_common.audit.models import AuditEvent
from sis_common.errors import DomainError

from . import documents
from .models import Customer, DocType

EDITABLE = frozenset({"doc_type", "doc_number", "name", "email", "phone", "address", "is_active"})
ANONYMIZED_NAME = "Anonymized"
# the admin site's pages of one customer (sis_common.audit.capture.resource)
ADMIN_PAGES = "admin/clientes/customers/customer/"


def _duplicate() -> DomainError:
    # two requests for one new document at once: the unique index refuses the second
    return DomainError(documents.DUPLICATE, "duplicate_document", 400, doc_number=[documents.DUPLICATE])


def customer_create(*, name: str, doc_type: str = DocType.NONE, doc_number: str = "", email: str = "",
                    phone: str = "", address: str = "", is_active: bool = True) -> Customer:
    try:
        with transaction.atomic():
            return Customer.objects.create(doc_type=doc_type, doc_number=doc_number, name=name, email=email,
                                           phone=phone, address=address, is_active=is_active)
    except IntegrityError:
        raise _duplicate() from None


def customer_update(*, customer_id: int, **fields) -> Customer:
    try:
        with transaction.atomic():
            customer = get_object_or_404(Customer.objects.select_for_update(), pk=customer_id)
            if customer.anonymized_at is not None:
                raise DomainError("This customer was anonymized and is not edited again.", "customer_anonymized", 409)
            changed = [name for name in fields if name in EDITABLE]
            for name in changed:
                setattr(customer, name, fields[name])
            # never `points`: the loyalty ledger changes it under its own lock
            customer.save(update_fields=[*changed, "updated_at"])
            return customer
    except IntegrityError:
        raise _duplicate() from None


@transaction.atomic
def customer_anonymize(*, customer_id: int) -> Customer:
    """The customer names nobody any more: document and contact emptied, inactive; the id (what sales hold) stays.

    The audit trail's copies of what was sent and answered for this customer are emptied too.
    Anonymizing again changes nothing.
    """
    customer = get_object_or_404(Customer.objects.select_for_update(), pk=customer_id)
    if customer.anonymized_at is None:
        customer.doc_type, customer.doc_number = DocType.NONE, ""
        customer.name, customer.email, customer.phone, customer.address = ANONYMIZED_NAME, "", "", ""
        customer.is_active = False
        customer.anonymized_at = timezone.now()
        customer.save(update_fields=["doc_type", "doc_number", "name", "email", "phone", "address", "is_active",
                                     "anonymized_at", "updated_at"])
    _audit_forget(customer_id=customer.pk)
    return customer


def _audit_forget(*, customer_id: int) -> None:
    """The request bodies and answers kept of this customer's writes, and the admin's history of it, emptied."""
    AuditEvent.objects.filter(Q(resource__in=("customers", "customers/{id}")) | Q(resource__startswith=ADMIN_PAGES),
                              object_id=str(customer_id)).update(changes={}, summary={"id": customer_id})
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Customer),
                            object_id=str(customer_id)).update(object_repr=ANONYMIZED_NAME, change_message="")
