"""Routes of the reorder API."""
from django.urls import path

from .views import ReorderView

urlpatterns = [path("", ReorderView.as_view(), name="reorder")]
