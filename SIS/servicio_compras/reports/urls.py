"""Routes of the purchasing reports (under /api/purchasing/reports/)."""
from django.urls import path

from .views import LeadTimeReportView, OpenOrdersReportView, ReceivedReportView

urlpatterns = [
    path("open-orders/", OpenOrdersReportView.as_view(), name="report-open-orders"),
    path("received/", ReceivedReportView.as_view(), name="report-received"),
    path("lead-time/", LeadTimeReportView.as_view(), name="report-lead-time"),
]
