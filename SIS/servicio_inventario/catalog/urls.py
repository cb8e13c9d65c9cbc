"""Routes of the catalogue API."""
from django.urls import path

import sis_common.urls  # noqa: F401 (registers the <id:> converter)

from . import views

urlpatterns = [
    path("categories/", views.CategoryListCreateView.as_view()),
    path("categories/<id:pk>/", views.CategoryDetailView.as_view()),
    path("products/", views.ProductListCreateView.as_view()),
    path("products/<id:pk>/", views.ProductDetailView.as_view()),
]
