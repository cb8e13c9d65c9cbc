"""Suppliers made through the API, each with a code and a RUC no other test uses."""
from __future__ import annotations

import itertools
import uuid

from sis_common.tax_ids import ruc_check_digit

_serial = itertools.count(int(uuid.uuid4().int % 10**6) * 100)


def new_ruc() -> str:
    first_ten = f"20{next(_serial) % 10**8:08d}"
    return first_ten + str(ruc_check_digit(first_ten))


def new_code(prefix: str = "P") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def supplier_body(**extra) -> dict:
    return {"code": new_code(), "name": "Distribuidora Lima", "tax_id": new_ruc(), **extra}
