"""Filters of the count list (django-filter); the query parameters are counts.serializers'."""
import django_filters

from .models import StockCount


class CountFilter(django_filters.FilterSet):
    branch = django_filters.NumberFilter(field_name="branch_id")
    status = django_filters.CharFilter()

    class Meta:
        model = StockCount
        fields = []
