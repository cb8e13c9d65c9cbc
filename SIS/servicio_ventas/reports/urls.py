"""Routes of the report API (under /api/sales/reports/)."""
from django.urls import path

from .views import DailyReportView, ProductReportView, RangeReportView

urlpatterns = [
    path("reports/daily/", DailyReportView.as_view(), name="report-daily"),
    path("reports/range/", RangeReportView.as_view(), name="report-range"),
    path("reports/products/", ProductReportView.as_view(), name="report-products"),
]
