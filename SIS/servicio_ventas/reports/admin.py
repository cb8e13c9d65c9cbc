"""Django admin for the daily aggregates (read-only views of the report tables)."""
from django.contrib import admin

from .models import DailyBranchTotals


@admin.register(DailyBranchTotals)
class DailyBranchTotalsAdmin(admin.ModelAdmin):
    list_display = ("date", "branch_id", "sales_count", "total", "returns_total")
    list_filter = ("date", "branch_id")
