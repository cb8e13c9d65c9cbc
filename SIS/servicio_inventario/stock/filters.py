"""Filters of the stock, movement, transfer and document lists (django-filter); the query parameters are stock.serializers'."""
from datetime import date, datetime, time, timedelta

import django_filters
from django.utils import timezone

from sis_common.filtersets import AnyNumberFilter

from .models import Movement, Stock, StockDocument, Transfer


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class DaysFilter(django_filters.DateFilter):
    """A day of `created_at` in the service's time zone, as a range of instants so its index serves it."""

    def __init__(self, *, last: bool = False, **kwargs):
        super().__init__(field_name="created_at", **kwargs)
        self.last = last

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if self.last:
            if value == date.max:  # every instant is before the day after the last day
                return qs
            return qs.filter(created_at__lt=_day_start(value + timedelta(days=1)))
        return qs.filter(created_at__gte=_day_start(value))


class StockFilter(django_filters.FilterSet):
    branch = django_filters.NumberFilter(field_name="branch_id")
    product = django_filters.NumberFilter(field_name="product_id")
    low = django_filters.BooleanFilter(field_name="is_low")

    class Meta:
        model = Stock
        fields = []


class MovementFilter(django_filters.FilterSet):
    branch = django_filters.NumberFilter(field_name="branch_id")
    product = django_filters.NumberFilter(field_name="product_id")
    kind = django_filters.CharFilter()
    date_from = DaysFilter()
    date_to = DaysFilter(last=True)
    reference = django_filters.CharFilter()

    class Meta:
        model = Movement
        fields = []


class TransferFilter(django_filters.FilterSet):
    status = django_filters.CharFilter()
    # a transfer concerns both its branches
    branch = AnyNumberFilter("from_branch", "to_branch")

    class Meta:
        model = Transfer
        fields = []


class DocumentFilter(django_filters.FilterSet):
    branch = django_filters.NumberFilter(field_name="branch_id")
    date_from = DaysFilter()
    date_to = DaysFilter(last=True)

    class Meta:
        model = StockDocument
        fields = []
