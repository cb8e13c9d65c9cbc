"""Django admin for customers: contact data and activity; the document and points are the API's to change."""
from django.contrib import admin

from .models import Customer

ALWAYS_READ_ONLY = ("doc_type", "doc_number", "points", "anonymized_at", "created_at", "updated_at")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("doc_type", "doc_number", "name", "phone", "points", "is_active")
    search_fields = ("doc_number", "name", "phone")
    list_filter = ("doc_type", "is_active")
    fields = ("name", "email", "phone", "address", "is_active", *ALWAYS_READ_ONLY)

    def get_readonly_fields(self, request, obj=None):
        # an anonymized customer is not filled in again
        if obj is not None and obj.anonymized_at is not None:
            return self.fields
        return ALWAYS_READ_ONLY

    def has_delete_permission(self, request, obj=None):
        return False  # sales keep the customer's id: deactivate or anonymize instead
