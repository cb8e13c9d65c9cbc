"""Filters of the branch list (django-filter); the query parameters are BranchFilterSerializer's."""
import django_filters

from sis_common.filtersets import SearchFilter

from .models import Branch


class BranchFilter(django_filters.FilterSet):
    search = SearchFilter("name", "code", "city")
    is_active = django_filters.BooleanFilter()
    city = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Branch
        fields = []
