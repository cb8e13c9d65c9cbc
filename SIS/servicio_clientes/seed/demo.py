"""Demo customers for a local stack: a company with a RUC (for invoices) and a person with a DNI."""
from __future__ import annotations

from customers.models import Customer
from customers.services import customer_create

DEMO_CUSTOMERS = (
    {"doc_type": "ruc", "doc_number": "20100070970", "name": "Comercial Andina S.A.C.",
     "email": "compras@andina.example", "phone": "+51 1 555 0303", "address": "Av. Javier Prado 4200, Lima"},
    {"doc_type": "dni", "doc_number": "45678912", "name": "María Quispe Huamán",
     "email": "maria.quispe@example.com", "phone": "987 654 321", "address": "Jr. Junín 350, Lima"},
)


def demo_customers_ensure() -> list[str]:
    """Create the missing demo customers; one line per customer created."""
    lines = []
    for spec in DEMO_CUSTOMERS:
        if Customer.objects.using("default").filter(doc_type=spec["doc_type"], doc_number=spec["doc_number"]).exists():
            continue
        customer = customer_create(**spec)
        lines.append(f"clientes: demo customer {customer.doc_type} {customer.doc_number} (id {customer.pk}) created")
    return lines
