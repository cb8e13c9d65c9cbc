"""Routes of the stock API."""
from django.urls import path
from rest_framework.routers import SimpleRouter

import sis_common.urls  # noqa: F401 (registers the <id:> converter)

from . import views

router = SimpleRouter(trailing_slash=True, use_regex_path=False)
router.register("movements", views.MovementViewSet, basename="movement")
router.register("transfers", views.TransferViewSet, basename="transfer")
router.register("receipts", views.ReceiptViewSet, basename="receipt")
router.register("adjustments", views.AdjustmentViewSet, basename="adjustment")

levels = views.StockLevelViewSet
urlpatterns = [
    # before stock/<branch>/<product>/
    path("stock/import/", views.StockImportView.as_view(), name="stock-import"),
    path("stock/", levels.as_view({"get": "list"}), name="stock-list"),
    path("stock/<id:branch>/<id:product>/", levels.as_view({"get": "retrieve", "patch": "partial_update"}),
         name="stock-detail"),
    *router.urls,
]
