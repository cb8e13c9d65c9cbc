"""Django admin for cash sessions."""
from django.contrib import admin

from .models import CashSession


@admin.register(CashSession)
class CashSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "branch_id", "user_id", "status", "opening_float", "opened_at", "closed_at")
    list_filter = ("status", "branch_id")
