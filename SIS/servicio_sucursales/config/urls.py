"""URL routes of servicio_sucursales."""
from django.urls import include, path

from branches.internal import BranchInternalView
from sis_common.urls import handler400, handler403, handler404, handler500, service_urlpatterns  # noqa: F401

urlpatterns = [
    *service_urlpatterns(api="branches", slug="sucursales"),
    path("api/branches/", include("branches.urls")),
    path("internal/branches/<int:branch_id>/", BranchInternalView.as_view()),
]
