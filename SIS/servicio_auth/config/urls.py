"""URL routes of servicio_auth."""
from django.urls import include, path

from accounts.internal import ApprovalInternalView

from sis_common.urls import handler400, handler403, handler404, handler500, service_urlpatterns  # noqa: F401

urlpatterns = [
    *service_urlpatterns(api="auth", slug="auth"),
    path("api/auth/", include("accounts.urls")),
    path("internal/approvals/", ApprovalInternalView.as_view()),
]
