"""Reads on branches."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from sis_common.filtersets import filtered

from .filters import BranchFilter
from .models import Branch


def branch_list(*, search: str | None = None, is_active: bool | None = None, city: str | None = None,
                visible: Iterable[int] | None = None) -> QuerySet[Branch]:
    """Branches matching the filters; `visible` (None = all) limits them to a caller's scope."""
    qs = Branch.objects.all()
    if visible is not None:
        qs = qs.filter(pk__in=list(visible))
    return filtered(BranchFilter, qs, search=search, is_active=is_active, city=city)


def branch_get_current(*, branch_id: int) -> Branch | None:
    """One branch read from the primary: other services act on the answer at once, so no replica lag."""
    return Branch.objects.using("default").filter(pk=branch_id).first()


def branch_get_by_code(*, code: str) -> Branch | None:
    """One branch by its code, read from the primary (as `branch_get_current`)."""
    return Branch.objects.using("default").filter(code=code).first()
