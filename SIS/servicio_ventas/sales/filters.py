"""Filters of the sale list (django-filter); the query parameters are SaleFilterSerializer's."""
import django_filters

from .models import Sale


class SaleFilter(django_filters.FilterSet):
    branch = django_filters.NumberFilter(field_name="branch_id")
    date_from = django_filters.DateFilter(field_name="business_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="business_date", lookup_expr="lte")
    status = django_filters.CharFilter()

    class Meta:
        model = Sale
        fields = []
