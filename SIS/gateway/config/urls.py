"""URL routes of the gateway: web UI, health, docs and the edge's token check (the APIs are nginx's)."""
from django.urls import path

from edge import views
from webui.views import shell

handler404 = "sis_common.errors.json_404"
handler500 = "sis_common.errors.json_500"

urlpatterns = [
    path("", shell),
    path("health", views.health),
    path("__edge/auth", views.authorize),
    path("api/docs/", views.api_docs),
    path("api/docs/schema/<slug:api>/", views.api_schema),
]
