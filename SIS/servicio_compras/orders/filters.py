"""Filters of the order list (django-filter); the query parameters are OrderFilterSerializer's."""
import django_filters

from .models import OrderStatus, PurchaseOrder


class OrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices)
    supplier = django_filters.NumberFilter(field_name="supplier_id")
    branch = django_filters.NumberFilter(field_name="branch_id")

    class Meta:
        model = PurchaseOrder
        fields = []
