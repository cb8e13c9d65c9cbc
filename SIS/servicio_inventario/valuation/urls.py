"""Routes of the valuation report (under /api/inventory/reports/)."""
from django.urls import path

from .views import ValuationReportView

urlpatterns = [path("reports/valuation/", ValuationReportView.as_view(), name="report-valuation")]
