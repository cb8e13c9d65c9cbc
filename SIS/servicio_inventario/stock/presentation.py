"""A stock document's answer (the sales service's stock move) as a plain dict.

Every sale and return gets this answer. Built through ModelSerializer, the fields
of the document and of each movement were built and copied on every call, and
that cost more than the move's own queries. MovementSerializer stays the public
shape of a movement: tests/test_internal_stock_moves.py keeps the two equal.
"""
from __future__ import annotations

from rest_framework.fields import DateTimeField

from .models import Movement, StockDocument

_moment = DateTimeField().to_representation


def document_public(document: StockDocument, movements: list[Movement]) -> dict:
    """The document with its ledger rows in line order."""
    return {
        "id": document.pk, "kind": document.kind, "branch": document.branch_id, "reference": document.reference,
        "user": document.user_id, "created_at": _moment(document.created_at),
        "movements": [movement_public(movement) for movement in movements],
    }


def movement_public(movement: Movement) -> dict:
    return {
        "id": movement.pk, "branch": movement.branch_id, "product": movement.product_id, "kind": movement.kind,
        "quantity": movement.quantity, "balance_after": movement.balance_after, "reference": movement.reference,
        "note": movement.note, "user": movement.user_id, "transfer": movement.transfer_id,
        "document": movement.document_id, "created_at": _moment(movement.created_at),
    }
