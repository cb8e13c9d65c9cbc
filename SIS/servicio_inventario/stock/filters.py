"""Filters of the stock, movement and transfer lists (django-filter); the query parameters are stock.serializers'."""
import django_filters

from sis_common.filtersets import AnyNumberFilter

from .models import Movement, Stock, Transfer


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
