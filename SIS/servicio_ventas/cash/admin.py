"""Django admin for cash sessions and their movements."""
from django.contrib import admin

from .models import CashMovement, CashSession


@admin.register(CashSession)
class CashSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "branch_id", "user_id", "status", "opening_float", "opened_at", "closed_at")
    list_filter = ("status", "branch_id")


@admin.register(CashMovement)
class CashMovementAdmin(admin.ModelAdmin):
    list_display = ("id", "session", "kind", "amount", "reason", "user_id", "approved_by", "created_at")
    list_filter = ("kind",)
