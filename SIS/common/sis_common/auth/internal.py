"""Service-to-service credentials: each caller's own token, checked against the digests its receivers keep.

A caller sends `X-Internal-Caller: <its name>` and `X-Internal-Token: <its secret>`
(EWTTO_INTERNAL_TOKEN), and only to services that answer it
(sis_common.internal_callers). A receiver holds no caller's secret, only the
SHA-256 digests of the callers it answers (EWTTO_INTERNAL_CALLERS,
`name:hexdigest,...`), so its environment lets nobody call anything.
A wrong or unknown credential is 401; a genuine caller on an endpoint not
meant for it is 403.
"""
from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from sis_common.internal_callers import ACCEPTED_ENV, OWN_TOKEN_ENV, accepted_by, digest, may_call

CALLER_HEADER = "X-Internal-Caller"
TOKEN_HEADER = "X-Internal-Token"
MAX_TOKEN = 256


@lru_cache(maxsize=8)
def _parse(text: str) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in text.split(",") if ":" in item)
    return {name.strip(): value.strip() for name, value in pairs if name.strip() and value.strip()}


def accepted_digests() -> dict[str, str]:
    return _parse(os.environ.get(ACCEPTED_ENV, ""))


def caller_headers(receiver: str) -> dict[str, str]:
    """This service's credential for `receiver`, or nothing when the receiver does not answer it."""
    me = settings.EWTTO_SERVICE
    token = os.environ.get(OWN_TOKEN_ENV, "")
    if not token or me not in accepted_by(receiver):
        return {}
    return {CALLER_HEADER: me, TOKEN_HEADER: token}


def verified_caller(request) -> str | None:
    """The calling service's name when its token matches the digest kept for it, else None."""
    name = request.headers.get(CALLER_HEADER, "")
    token = request.headers.get(TOKEN_HEADER, "")
    expected = accepted_digests().get(name)
    if not expected or not token or len(token) > MAX_TOKEN:
        return None
    return name if hmac.compare_digest(expected, digest(token)) else None


@dataclass(frozen=True)
class InternalService:
    """request.user of an internal endpoint: the service that called, not a person."""

    name: str
    is_authenticated = True
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None


class InternalCallerAuthentication(BaseAuthentication):
    """The internal credential headers; 401 when they are sent and wrong, or missing."""

    def authenticate(self, request):
        if not (request.headers.get(CALLER_HEADER) or request.headers.get(TOKEN_HEADER)):
            return None
        name = verified_caller(request)
        if name is None:
            raise AuthenticationFailed("Unknown internal caller or wrong internal token.", code="internal_caller_refused")
        return InternalService(name), None

    def authenticate_header(self, request) -> str:
        return "Internal"


class InternalCaller(BasePermission):
    """Only the callers the view's `internal_endpoint` names in sis_common.internal_callers."""

    message = "This service may not call this internal endpoint."

    def has_permission(self, request, view):
        user = request.user
        if not isinstance(user, InternalService):
            return False
        return may_call(user.name, settings.EWTTO_SERVICE, view.internal_endpoint)
