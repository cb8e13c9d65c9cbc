"""The audit trail in each project's Django admin: readable, never editable."""
from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "source", "username", "role", "action", "resource", "object_id", "status", "request_id")
    list_filter = ("source", "action", "role")
    search_fields = ("username", "resource", "object_id", "request_id", "path")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
