"""URL routes of servicio_ventas."""
from django.urls import include, path

from sales.internal import CustomerSalesInternalView

from sis_common.urls import handler400, handler403, handler404, handler500, service_urlpatterns  # noqa: F401

urlpatterns = [
    *service_urlpatterns(api="sales", slug="ventas"),
    path("api/sales/", include("cash.urls")),
    path("api/sales/", include("reports.urls")),
    path("api/sales/", include("sales.urls")),
    path("internal/sales/", CustomerSalesInternalView.as_view()),
]
