"""URL routes of servicio_clientes."""
from django.urls import include, path

from customers.internal import CustomerInternalView
from sis_common.urls import handler400, handler403, handler404, handler500, service_urlpatterns  # noqa: F401

urlpatterns = [
    *service_urlpatterns(api="customers", slug="clientes"),
    path("api/customers/", include("loyalty.urls")),
    path("api/customers/", include("customers.urls")),
    path("internal/loyalty/", include("loyalty.internal_urls")),
    path("internal/customers/<id:customer_id>/", CustomerInternalView.as_view()),
]
