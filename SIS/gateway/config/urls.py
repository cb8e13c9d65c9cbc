"""URL routes of the gateway: web UI, health, docs, proxied APIs and admins."""
from django.urls import path, re_path

from edge import views
from edge.routes import API_ROUTE
from webui.views import shell

handler404 = "sis_common.errors.json_404"
handler500 = "sis_common.errors.json_500"

urlpatterns = [
    path("", shell),
    path("health", views.health),
    path("api/docs/", views.api_docs),
    re_path(r"^api/docs/schema/(?P<api>auth|branches|inventory|sales)/$", views.api_schema),
    re_path(API_ROUTE, views.api_proxy),
    re_path(r"^(?P<kind>admin|static)/(?P<service>auth|sucursales|inventario|ventas)/(?P<rest>.*)$", views.site_proxy),
]
