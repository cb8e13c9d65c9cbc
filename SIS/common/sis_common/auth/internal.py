"""Permission for /internal/ endpoints: only callers holding the stack's internal token."""
import hmac
import os

from rest_framework.permissions import BasePermission

from sis_common.clients import INTERNAL_TOKEN_HEADER


class InternalCaller(BasePermission):
    message = "Internal endpoint."

    def has_permission(self, request, view):
        expected = os.environ.get("EWTTO_INTERNAL_TOKEN", "")
        given = request.headers.get(INTERNAL_TOKEN_HEADER, "")
        return bool(expected) and hmac.compare_digest(expected, given)
