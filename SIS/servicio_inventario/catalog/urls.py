"""Routes of the catalogue API."""
from django.urls import path
from rest_framework.routers import SimpleRouter

import sis_common.urls  # noqa: F401 (registers the <id:> converter)

from . import transfer_views, views

router = SimpleRouter(trailing_slash=True, use_regex_path=False)
router.register("categories", views.CategoryViewSet, basename="category")
router.register("products", views.ProductViewSet, basename="product")
urlpatterns = [
    # before the router's products/<id>/
    path("products/import/", transfer_views.ProductImportView.as_view()),
    path("products/export/", transfer_views.ProductExportView.as_view()),
    *router.urls,
]
