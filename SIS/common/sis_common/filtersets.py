"""Filter chains of the selectors: a django-filter FilterSet applied to values a query serializer has validated."""
from __future__ import annotations

import operator
from functools import reduce

from django.db.models import Q, QuerySet
from django_filters import CharFilter, FilterSet, NumberFilter
from django_filters.constants import EMPTY_VALUES


def filtered(filterset: type[FilterSet], queryset: QuerySet, **values) -> QuerySet:
    """`queryset` narrowed by each given value; None and "" mean not given, as django-filter reads them.

    The query serializers are the API's contract (names, types, 400s, the published schema);
    a value they admitted that a filter refuses is a mismatch between the two, not the
    caller's mistake, so it raises rather than be dropped silently (which would widen the answer).
    """
    found = filterset(values, queryset=queryset)
    if not found.is_valid():
        raise ValueError(f"{filterset.__name__} refused validated values: {found.errors.as_json()}")
    return found.qs


class _AnyOf:
    """A filter that keeps a row when any of its fields matches the value."""

    def __init__(self, *fields: str, **kwargs):
        super().__init__(**kwargs)
        self.fields = fields

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(reduce(operator.or_, (Q(**{f"{f}__{self.lookup_expr}": value}) for f in self.fields)))


class SearchFilter(_AnyOf, CharFilter):
    """A search box: the text in any of the fields, in any case."""

    def __init__(self, *fields: str, **kwargs):
        super().__init__(*fields, lookup_expr="icontains", **kwargs)


class AnyNumberFilter(_AnyOf, NumberFilter):
    """A number that any of the fields holds (a transfer's branch: where it leaves or arrives)."""
