"""The URL conf AuditMiddleware gives requests under /<API_PREFIX>audit/ (no edit of the project's urls.py)."""
from django.conf import settings
from django.urls import path

from .views import AuditEventViewSet

handler400 = "sis_common.errors.json_400"
handler403 = "sis_common.errors.json_403"
handler404 = "sis_common.errors.json_404"
handler500 = "sis_common.errors.json_500"

urlpatterns = [
    path(f"{settings.API_PREFIX}audit/", AuditEventViewSet.as_view({"get": "list"}), name="audit-list"),
    path(f"{settings.API_PREFIX}audit/<int:pk>/", AuditEventViewSet.as_view({"get": "retrieve"}),
         name="audit-detail"),
]
