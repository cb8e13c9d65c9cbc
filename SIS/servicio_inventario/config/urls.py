"""URL routes of servicio_inventario."""
from django.urls import include, path

from catalog.internal import ProductInternalListView
from sis_common.urls import handler400, handler403, handler404, handler500, service_urlpatterns  # noqa: F401
from stock.internal import StockMoveInternalView, StockRowsInternalView

urlpatterns = [
    *service_urlpatterns(api="inventory", slug="inventario"),
    path("api/inventory/", include("catalog.urls")),
    path("api/inventory/", include("stock.urls")),
    path("api/inventory/", include("counts.urls")),
    path("api/inventory/", include("valuation.urls")),
    path("internal/inventory/products/", ProductInternalListView.as_view()),
    path("internal/inventory/stock-moves/", StockMoveInternalView.as_view()),
    path("internal/inventory/stock/", StockRowsInternalView.as_view()),
]
