"""URL routes of servicio_sucursales."""
from django.urls import include, path

from branches.internal import BranchByCodeInternalView, BranchInternalView
from company.internal import CompanyInternalView
from company.views import CompanyView
from sis_common.urls import handler400, handler403, handler404, handler500, service_urlpatterns  # noqa: F401

urlpatterns = [
    *service_urlpatterns(api="branches", slug="sucursales"),
    # before the branch routes, whose detail route would take "company" for a branch id
    path("api/branches/company/", CompanyView.as_view(), name="company"),
    path("api/branches/", include("branches.urls")),
    path("internal/branches/", BranchByCodeInternalView.as_view()),
    path("internal/branches/<int:branch_id>/", BranchInternalView.as_view()),
    path("internal/company/", CompanyInternalView.as_view()),
]
