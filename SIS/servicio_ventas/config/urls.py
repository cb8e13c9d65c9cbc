"""URL routes of servicio_ventas."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from sis_common.health import health_view

handler400 = "sis_common.errors.json_400"
handler403 = "sis_common.errors.json_403"
handler404 = "sis_common.errors.json_404"
handler500 = "sis_common.errors.json_500"

urlpatterns = [
    path("health", health_view),
    path("api/sales/health/", health_view),
    path("api/sales/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/sales/", include("cash.urls")),
    path("api/sales/", include("reports.urls")),
    path("api/sales/", include("sales.urls")),
    path("admin/ventas/", admin.site.urls),
]
