"""Filters of the supplier list (django-filter); the query parameters are SupplierFilterSerializer's."""
import django_filters

from sis_common.filtersets import SearchFilter

from .models import Supplier


class SupplierFilter(django_filters.FilterSet):
    search = SearchFilter("name", "code", "tax_id")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Supplier
        fields = []
