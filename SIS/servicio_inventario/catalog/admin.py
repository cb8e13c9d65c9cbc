"""Django admin for the catalogue."""
from django.contrib import admin

from .models import Category, Product
from .services import product_words_sync


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "name", "category", "price", "is_active")
    search_fields = ("=sku", "=barcode", "name")
    list_filter = ("is_active",)
    raw_id_fields = ("category",)
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # the admin saves the model directly: keep name search's words in step, as the API's services do
        product_words_sync(product=obj)
