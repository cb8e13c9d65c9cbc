"""Customers made through the API, each with a document no other test uses."""
from __future__ import annotations

import itertools
import uuid

from sis_common.tax_ids import ruc_check_digit

_serial = itertools.count(int(uuid.uuid4().int % 10**6) * 100)


def new_ruc(prefix: str = "20") -> str:
    first_ten = f"{prefix}{next(_serial) % 10**8:08d}"
    return first_ten + str(ruc_check_digit(first_ten))


def new_dni() -> str:
    return f"{next(_serial) % 10**8:08d}"


def new_tag(prefix: str = "T") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def customer_body(**extra) -> dict:
    return {"doc_type": "dni", "doc_number": new_dni(), "name": f"Rosa Mamani {new_tag()}", **extra}
