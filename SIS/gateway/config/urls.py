"""URL routes of the gateway: health, proxied APIs and admins."""
from django.urls import path, re_path

from edge import views

handler404 = "sis_common.errors.json_404"
handler500 = "sis_common.errors.json_500"

urlpatterns = [
    path("health", views.health),
    re_path(r"^api/(?P<api>auth|branches|inventory|sales)/(?P<rest>.*)$", views.api_proxy),
    re_path(r"^(?P<kind>admin|static)/(?P<service>auth|sucursales|inventario|ventas)/(?P<rest>.*)$", views.site_proxy),
]
