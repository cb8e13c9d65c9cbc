"""URL routes of servicio_sucursales."""
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from branches.internal import BranchInternalView
from sis_common.health import health_view

handler400 = "sis_common.errors.json_400"
handler403 = "sis_common.errors.json_403"
handler404 = "sis_common.errors.json_404"
handler500 = "sis_common.errors.json_500"

urlpatterns = [
    path("health", health_view),
    path("api/branches/health/", health_view),
    path("api/branches/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/branches/", include("branches.urls")),
    path("internal/branches/<int:branch_id>/", BranchInternalView.as_view()),
    path("admin/sucursales/", admin.site.urls),
]
