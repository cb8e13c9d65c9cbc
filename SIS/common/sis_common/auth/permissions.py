"""Role and branch-scope permissions read from the token, for every service's views."""
from __future__ import annotations

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .principal import as_branch_id
from .roles import ADMIN, AUDITOR, CASHIER, MANAGER, PURCHASER, READ_ONLY_ROLES, ROLES, WAREHOUSE  # noqa: F401 (re-exported)


def role_of(request) -> str:
    return getattr(request.user, "role", "") or ""


def _signed_in(request) -> bool:
    return bool(request.user and request.user.is_authenticated)


class ReadAnyWriteRoles(BasePermission):
    """Any signed-in role reads; only `write_roles` (a view attribute) write. Auditors never write."""

    message = "Your role may not change this."

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if request.method in SAFE_METHODS:
            return True
        role = role_of(request)
        return role not in READ_ONLY_ROLES and role in getattr(view, "write_roles", (ADMIN,))


class AdminOnly(BasePermission):
    message = "Only administrators may do this."

    def has_permission(self, request, view):
        return _signed_in(request) and role_of(request) == ADMIN


class RolesOnly(BasePermission):
    """Only the roles in the view's `allowed_roles` may call it at all (reads included)."""

    message = "Your role may not use this."

    def has_permission(self, request, view):
        return _signed_in(request) and role_of(request) in getattr(view, "allowed_roles", (ADMIN,))


def require_branch(request, branch_id) -> None:
    """403 unless the caller's token covers `branch_id` (a malformed ID is covered by nobody)."""
    if not request.user.may_act_on(branch_id):
        shown = as_branch_id(branch_id) or "?"
        raise PermissionDenied(detail=f"You may not act on branch {shown}.", code="branch_forbidden")


def visible_branches(request) -> frozenset[int] | None:
    """The branches the caller may see; None means all."""
    user = request.user
    return None if user.all_branches else user.branches
