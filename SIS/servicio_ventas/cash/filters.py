"""Filters of the cash session list (django-filter); the query parameters are SessionFilterSerializer's."""
import django_filters

from .models import CashSession


class SessionFilter(django_filters.FilterSet):
    # the `cashier` parameter, or the caller when a cashier asks (cash.views)
    user_id = django_filters.NumberFilter()
    branch = django_filters.NumberFilter(field_name="branch_id")
    status = django_filters.CharFilter()

    class Meta:
        model = CashSession
        fields = []
