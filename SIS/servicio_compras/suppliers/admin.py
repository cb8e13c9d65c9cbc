"""Django admin for suppliers and their products."""
from django.contrib import admin

from .models import Supplier, SupplierProduct


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "tax_id", "is_active")
    search_fields = ("code", "name", "tax_id")
    list_filter = ("is_active",)


@admin.register(SupplierProduct)
class SupplierProductAdmin(admin.ModelAdmin):
    list_display = ("supplier", "product", "supplier_sku", "unit_cost", "pack_size", "is_preferred")
    search_fields = ("supplier__code", "supplier_sku")
    list_filter = ("is_preferred",)
