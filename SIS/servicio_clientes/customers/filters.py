"""Filters of the customer list (django-filter); the query parameters are CustomerFilterSerializer's."""
import django_filters
from django.db.models import Q

from .models import Customer


class CustomerFilter(django_filters.FilterSet):
    # prefixes only: each column has its index, and LIKE 'text%' reads a range of it (docs/customers.md)
    search = django_filters.CharFilter(method="prefix_search")
    doc_type = django_filters.CharFilter()
    doc_number = django_filters.CharFilter()
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Customer
        fields = []

    def prefix_search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(doc_number__istartswith=text) | Q(name__istartswith=text)
                               | Q(phone__istartswith=text))
