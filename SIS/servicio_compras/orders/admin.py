"""Django admin for purchase orders and receipts (read mostly: writes go through the API's rules)."""
from django.contrib import admin

from .models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(admin.ModelAdmin):
    list_display = ("number", "supplier", "branch_id", "status", "expected_on", "total")
    search_fields = ("number", "supplier__code")
    list_filter = ("status",)
    inlines = [PurchaseOrderLineInline]


class ReceiptLineInline(admin.TabularInline):
    model = ReceiptLine
    extra = 0


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ("id", "order", "delivery_note", "status", "attempts", "created_at")
    list_filter = ("status",)
    search_fields = ("order__number", "delivery_note")
    exclude = ("acting_token",)
    inlines = [ReceiptLineInline]
