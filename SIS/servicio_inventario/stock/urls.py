"""Routes of the stock API."""
from django.urls import path

import sis_common.urls  # noqa: F401 (registers the <id:> converter)

from . import views

urlpatterns = [
    path("stock/", views.StockListView.as_view()),
    path("stock/<id:branch>/<id:product>/", views.StockDetailView.as_view()),
    path("movements/", views.MovementListCreateView.as_view()),
    path("transfers/", views.TransferListCreateView.as_view()),
    path("transfers/<id:pk>/", views.TransferDetailView.as_view()),
    path("transfers/<id:pk>/dispatch/", views.TransferActionView.as_view(action="dispatch")),
    path("transfers/<id:pk>/receive/", views.TransferActionView.as_view(action="receive")),
    path("transfers/<id:pk>/cancel/", views.TransferActionView.as_view(action="cancel")),
]
