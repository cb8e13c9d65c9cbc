"""URL routes of servicio_compras."""
from django.urls import include, path

from sis_common.urls import handler400, handler403, handler404, handler500, service_urlpatterns  # noqa: F401

urlpatterns = [
    *service_urlpatterns(api="purchasing", slug="compras"),
    path("api/purchasing/suppliers/", include("suppliers.urls")),
    path("api/purchasing/orders/", include("orders.urls")),
    path("api/purchasing/reorder/", include("reorder.urls")),
    path("api/purchasing/reports/", include("reports.urls")),
]
