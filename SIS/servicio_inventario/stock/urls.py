"""Routes of the stock API."""
from django.urls import path

from . import views

urlpatterns = [
    path("stock/", views.StockListView.as_view()),
    path("stock/<int:branch>/<int:product>/", views.StockDetailView.as_view()),
    path("movements/", views.MovementListCreateView.as_view()),
    path("transfers/", views.TransferListCreateView.as_view()),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view()),
    path("transfers/<int:pk>/dispatch/", views.TransferActionView.as_view(action="dispatch")),
    path("transfers/<int:pk>/receive/", views.TransferActionView.as_view(action="receive")),
    path("transfers/<int:pk>/cancel/", views.TransferActionView.as_view(action="cancel")),
]
