"""Routes of loyalty's internal endpoints (under /internal/loyalty/, never routed by the gateway)."""
from django.urls import path, re_path

from . import internal

KEY = r"(?P<key>[A-Za-z0-9_-]{1,64})"  # ventas' reservation keys; anything else is a 404

urlpatterns = [
    path("rules/", internal.RulesView.as_view()),
    path("earnings/", internal.EarningsView.as_view()),
    path("reversals/", internal.ReversalsView.as_view()),
    path("reservations/", internal.ReservationsView.as_view()),
    re_path(rf"^reservations/{KEY}/confirm/$", internal.ReservationConfirmView.as_view()),
    re_path(rf"^reservations/{KEY}/release/$", internal.ReservationReleaseView.as_view()),
]
