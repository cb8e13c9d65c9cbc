"""Django admin for stock counts: read-only (counts change through the API, which keeps the ledger)."""
from django.contrib import admin

from stock.admin import ReadOnlyAdmin

from .models import StockCount


@admin.register(StockCount)
class StockCountAdmin(ReadOnlyAdmin):
    list_display = ("id", "branch_id", "status", "category", "created_at", "posted_at")
    list_filter = ("status",)
