"""Django admin for stock: read-only views of the ledger (it is append-only) and the documents."""
from django.contrib import admin

from .models import Movement, Stock, StockDocument, Transfer


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Stock)
class StockAdmin(ReadOnlyAdmin):
    list_display = ("branch_id", "product", "quantity", "min_quantity", "is_low")
    list_filter = ("is_low",)
    raw_id_fields = ("product",)


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ("id", "branch_id", "product", "kind", "quantity", "balance_after", "reference", "created_at")
    list_filter = ("kind",)
    search_fields = ("=reference",)


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("id", "from_branch", "to_branch", "status", "created_at")
    list_filter = ("status",)


@admin.register(StockDocument)
class StockDocumentAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "branch_id", "reference", "created_at")
    search_fields = ("=reference",)
