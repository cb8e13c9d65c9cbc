"""Filters of the product list's ORM path (django-filter); the query parameters are ProductFilterSerializer's."""
import django_filters

from .models import Product


class ProductFilter(django_filters.FilterSet):
    category = django_filters.NumberFilter(field_name="category_id")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Product
        fields = []
