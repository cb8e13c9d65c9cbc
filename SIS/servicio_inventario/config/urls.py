"""URL routes of servicio_inventario."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from catalog.internal import ProductInternalListView
from sis_common.health import health_view
from stock.internal import StockMoveInternalView

handler400 = "sis_common.errors.json_400"
handler403 = "sis_common.errors.json_403"
handler404 = "sis_common.errors.json_404"
handler500 = "sis_common.errors.json_500"

urlpatterns = [
    path("health", health_view),
    path("api/inventory/health/", health_view),
    path("api/inventory/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/inventory/", include("catalog.urls")),
    path("api/inventory/", include("stock.urls")),
    path("internal/inventory/products/", ProductInternalListView.as_view()),
    path("internal/inventory/stock-moves/", StockMoveInternalView.as_view()),
    path("admin/inventario/", admin.site.urls),
]
