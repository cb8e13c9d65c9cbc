"""Django admin of servicio_auth: users with their role and branch scopes."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User, UserBranch


class UserBranchInline(admin.TabularInline):
    model = UserBranch
    extra = 0


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "role", "email", "is_active", "last_login")
    list_filter = ("role", "is_active")
    inlines = [UserBranchInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("role", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "role", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")

    # a password set here (the change-password form too) or a disabled account ends the user's
    # sessions: User.save does it, whoever saves
