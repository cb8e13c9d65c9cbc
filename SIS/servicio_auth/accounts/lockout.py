"""Brute-force protection of sign-in with django-axes.

A username locks after AXES_FAILURE_LIMIT failures from any address; an address
locks after EWTTO_LOCKOUT_ADDRESS_FAILURES failures over any usernames, a higher
bar so that one mistyping user does not lock the others behind the same address.
Both cool off EWTTO_LOCKOUT_COOLOFF_SECONDS after the last failure. The address
is the right-most X-Forwarded-For hop that is not one of our own proxies.
"""
from __future__ import annotations

import ipaddress
import logging
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse

from sis_common.errors import DomainError

log = logging.getLogger("accounts.security")

UNKNOWN_ADDRESS = "0.0.0.0"
USERNAME_MAX = 150


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return any(address in ipaddress.ip_network(net) for net in settings.EWTTO_TRUSTED_PROXIES)


def client_address(request) -> str:
    """The client's address, walking X-Forwarded-For leftwards only through our own proxies."""
    current = _ip(request.META.get("REMOTE_ADDR", ""))
    if current is None:
        return UNKNOWN_ADDRESS
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops[-32:]):
        if not _trusted(current):
            break
        previous = _ip(hop)
        if previous is None:  # garbage: the hop that handed it to us is the last one we can name
            break
        current = previous
    return str(current)


def lockout_username(request, credentials) -> str | None:
    """The username attempts are counted under: case-folded like the database compares it."""
    value = (credentials or {}).get("username")
    return value.strip().lower()[:USERNAME_MAX] if isinstance(value, str) else None


def cooloff_seconds() -> int:
    return int(get_cool_off().total_seconds())


def lockout_body() -> dict:
    seconds = cooloff_seconds()
    minutes = max(1, math.ceil(seconds / 60))
    return {
        "detail": f"Too many failed sign-in attempts. Sign-in is locked; try again in {minutes} minutes.",
        "code": "locked_out",
        "retry_after_seconds": seconds,
    }


class LockedOut(DomainError):
    def __init__(self):
        body = lockout_body()
        super().__init__(body["detail"], body["code"], 429, retry_after_seconds=body["retry_after_seconds"])


def lockout_response(request, original_response=None, credentials=None) -> JsonResponse:
    """AXES_LOCKOUT_CALLABLE: the 429 every locked sign-in gets (API and admin alike)."""
    response = JsonResponse(lockout_body(), status=429)
    response["Retry-After"] = str(cooloff_seconds())
    return response


class UserOrAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher failure limit per address than per username."""

    def get_failures(self, request, credentials=None) -> int:
        # AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"]: one queryset for each, in that order
        by_user, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.EWTTO_LOCKOUT_ADDRESS_FAILURES:
            return max(by_user, settings.AXES_FAILURE_LIMIT)
        return by_user

    def reset_user_attempts(self, request, credentials=None) -> int:
        # a success clears that username's failures only; the address keeps its count, so an
        # attacker's own valid sign-ins cannot wash away their guesses at other accounts
        username = lockout_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def log_failure(sender, credentials=None, request=None, **kwargs) -> None:
    log.warning("sign-in failed", extra={
        "username": lockout_username(request, credentials),
        "address": getattr(request, "axes_ip_address", None),
        "path": getattr(request, "path", None),
    })


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    log.warning("sign-in locked out", extra={"username": username, "address": ip_address,
                                             "cooloff_seconds": cooloff_seconds()})
