"""Reads on branches."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Branch


def branch_list(*, search: str | None = None, is_active: bool | None = None, city: str | None = None) -> QuerySet[Branch]:
    qs = Branch.objects.all()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(city__icontains=search))
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    if city:
        qs = qs.filter(city__iexact=city)
    return qs
