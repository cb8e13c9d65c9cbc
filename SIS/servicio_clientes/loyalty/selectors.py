"""Reads on points: a customer's ledger."""
from __future__ import annotations

from django.db.models import QuerySet

from .models import PointsEntry


def points_entries(*, customer_id: int) -> QuerySet[PointsEntry]:
    """A customer's ledger entries (keyset-paged by id by the caller)."""
    return PointsEntry.objects.filter(customer_id=customer_id)
