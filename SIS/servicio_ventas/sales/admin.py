"""Django admin for sales and returns (read-mostly: state changes go through the saga)."""
from django.contrib import admin

from .models import Sale, SaleReturn

# a pending saga's user token is a credential: no admin page shows it
HIDDEN = frozenset({"acting_token"})


@admin.register(Sale)
class SaleAdmin(admin.ModelAdmin):
    list_display = ("id", "number", "branch_id", "status", "total", "user_id", "created_at")
    list_filter = ("status", "branch_id")
    search_fields = ("number", "idempotency_key")
    readonly_fields = [f.name for f in Sale._meta.fields if f.name not in HIDDEN]
    exclude = tuple(HIDDEN)


@admin.register(SaleReturn)
class SaleReturnAdmin(admin.ModelAdmin):
    list_display = ("id", "sale", "status", "refund_amount", "refund_method", "created_at")
    list_filter = ("status", "refund_method")
    readonly_fields = [f.name for f in SaleReturn._meta.fields if f.name not in HIDDEN]
    exclude = tuple(HIDDEN)
