"""Routes of a customer's points and history, under /api/customers/."""
from django.urls import path

from .views import CustomerHistoryView, CustomerPointsView

urlpatterns = [
    path("<id:pk>/points/", CustomerPointsView.as_view(), name="customer-points"),
    path("<id:pk>/history/", CustomerHistoryView.as_view(), name="customer-history"),
]
