"""Reads on stock counts, always within a caller's visible branches."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from sis_common.filtersets import filtered

from .filters import CountFilter
from .models import StockCount


def count_list(*, visible: Iterable[int] | None = None, branch: int | None = None,
               status: str | None = None) -> QuerySet[StockCount]:
    qs = StockCount.objects.annotate(lines_total=Count("lines"), lines_counted=Count("lines__counted"))
    if visible is not None:
        qs = qs.filter(branch_id__in=list(visible))
    return filtered(CountFilter, qs, branch=branch, status=status)


def count_get(*, count_id: int) -> StockCount | None:
    return StockCount.objects.using("default").prefetch_related("lines").filter(pk=count_id).first()
