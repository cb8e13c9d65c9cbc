"""Filters of the user list (django-filter); the query parameters are UserFilterSerializer's."""
import django_filters

from sis_common.filtersets import SearchFilter

from .models import User


class UserFilter(django_filters.FilterSet):
    search = SearchFilter("username", "email", "first_name", "last_name")
    role = django_filters.CharFilter()
    is_active = django_filters.BooleanFilter()
    # a user scoped to several branches matches once
    branch = django_filters.NumberFilter(field_name="branch_scopes__branch_id", distinct=True)

    class Meta:
        model = User
        fields = []
