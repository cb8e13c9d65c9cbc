"""Brute-force protection of sign-in with django-axes: limits that hold without locking out the innocent.

Failures are counted per username (normalized as the database compares it) and per
client address, within EWTTO_LOCKOUT_COOLOFF_SECONDS of the last one. A sign-in is
refused (429) when:
- this username failed EWTTO_LOCKOUT_USER_FAILURES times from this address;
- this username failed EWTTO_LOCKOUT_USERNAME_FAILURES times over all addresses and
  this address has failed at all: an attacker rotating real addresses gets one guess per
  address, while the user signing in from a clean address still gets in;
- this address failed EWTTO_LOCKOUT_ADDRESS_FAILURES times over all usernames and this
  username has not signed in from it within EWTTO_LOCKOUT_KNOWN_DAYS: a spraying address
  stops, while the shop's own users behind the same router keep signing in.
The address is sis_common.forwarded's: X-Forwarded-For believed through our own hops only.
"""
from __future__ import annotations

import logging
import math
import unicodedata
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.http import JsonResponse
from django.utils import timezone

from sis_common.errors import DomainError
from sis_common.forwarded import client_address

log = logging.getLogger("accounts.security")

USERNAME_MAX = 150


def fold(value: str) -> str:
    """Case, accents, compatibility forms and surrounding spaces folded away, as utf8mb4_unicode_ci does."""
    decomposed = unicodedata.normalize("NFKD", value.strip())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", bare.casefold())[:USERNAME_MAX]


def canonical_username(value: str) -> str:
    """The key failures are counted under: the stored name of the user the database would match, folded.

    The collation matches more spellings than folding can (ignorable characters, trailing spaces),
    so an existing user is looked up; a name nobody has is folded as it is.
    """
    from .models import User  # the app registry is ready by the time anyone signs in

    stored = User.objects.using("default").filter(username=value[:USERNAME_MAX]).values_list(
        "username", flat=True).first()
    return fold(stored if stored is not None else value)


def lockout_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: the canonical username, cached on the request (axes asks several times)."""
    value = (credentials or {}).get("username")
    if not isinstance(value, str):
        return None
    cache = getattr(request, "_ewtto_usernames", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._ewtto_usernames = cache
    if value not in cache:
        cache[value] = canonical_username(value)
    return cache[value]


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
    """Axes' database handler with the three limits of this module's docstring."""

    def get_failures(self, request, credentials=None) -> int:
        # axes compares the answer with AXES_FAILURE_LIMIT: report the limit when any rule refuses
        username = lockout_username(request, credentials)
        address = request.axes_ip_address
        pair, by_user, by_address = failure_counts(username, address, since=get_cool_off_threshold(request))
        limit = settings.AXES_FAILURE_LIMIT
        if pair >= limit:
            return pair
        if by_user >= settings.EWTTO_LOCKOUT_USERNAME_FAILURES and by_address > 0:
            return limit
        if by_address >= settings.EWTTO_LOCKOUT_ADDRESS_FAILURES and not known_origin(username, address):
            return limit
        return pair

    def reset_user_attempts(self, request, credentials=None) -> int:
        # a success clears this username's failures from this address only: an attacker's count
        # elsewhere stays, and so does the address's count over other usernames
        username = lockout_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count


def failure_counts(username: str | None, address: str, *, since) -> tuple[int, int, int]:
    """Failures since `since` of (username at address, username anywhere, address over any username)."""
    totals = AccessAttempt.objects.using("default").filter(
        Q(username=username) | Q(ip_address=address), attempt_time__gte=since,
    ).aggregate(
        pair=Sum("failures_since_start", filter=Q(username=username, ip_address=address)),
        user=Sum("failures_since_start", filter=Q(username=username)),
        address=Sum("failures_since_start", filter=Q(ip_address=address)),
    )
    return totals["pair"] or 0, totals["user"] or 0, totals["address"] or 0


def known_origin(username: str | None, address: str) -> bool:
    from .models import SignInOrigin

    if username is None:
        return False
    since = timezone.now() - timedelta(days=settings.EWTTO_LOCKOUT_KNOWN_DAYS)
    return SignInOrigin.objects.using("default").filter(
        username=username, address=address, last_success__gte=since).exists()


def remember_origin(sender, request=None, user=None, **kwargs) -> None:
    """user_logged_in: this username signs in from this address (API and admins alike)."""
    from .models import SignInOrigin

    if request is None or user is None:
        return
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    SignInOrigin.objects.update_or_create(username=fold(user.get_username()), address=address,
                                          defaults={"last_success": timezone.now()})


def log_failure(sender, credentials=None, request=None, **kwargs) -> None:
    log.warning("sign-in failed", extra={
        "username": lockout_username(request, credentials),
        "address": getattr(request, "axes_ip_address", None),
        "path": getattr(request, "path", None),
    })


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    log.warning("sign-in locked out", extra={"username": username, "address": ip_address,
                                             "cooloff_seconds": cooloff_seconds()})
