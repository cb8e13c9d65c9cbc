"""Token pairs of servicio_auth: signed RS256 with claims role and branches, recorded for rotation.

Every refresh token is recorded (simplejwt's OutstandingToken) when issued;
rotation, logout and revocation blacklist it under a row lock, so two refreshes
racing with one token cannot both succeed. Each belongs to a SessionFamily (claim
`sid`): one sign-in, an absolute end, revoked as a whole.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from rest_framework_simplejwt.exceptions import TokenBackendError
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from sis_common.auth.principal import positive_id

from .errors import TokenInvalid
from .models import SessionFamily, User

REFRESH = "refresh"
SESSION_CLAIM = "sid"


class TokenPair(TypedDict):
    access: str
    refresh: str


def claims_for(user: User) -> dict:
    # `name` is what other services print for the user (ventas: the cashier on a receipt)
    return {"user_id": user.pk, "username": user.username, "name": user.display_name, "role": user.role,
            "branches": user.branch_list()}


def session_start(*, user: User) -> SessionFamily:
    """A new session family for a sign-in; it ends EWTTO_JWT_SESSION_SECONDS from now whatever happens."""
    now = timezone.now()
    return SessionFamily.objects.create(user=user, started_at=now,
                                        ends_at=now + timedelta(seconds=settings.EWTTO_JWT_SESSION_SECONDS))


def token_pair_issue(*, user: User, family: SessionFamily | None = None) -> TokenPair:
    """A new pair carrying the user's current role and branches; call inside a transaction."""
    family = family or session_start(user=user)
    refresh = RefreshToken()
    for name, value in claims_for(user).items():
        refresh[name] = value
    refresh[SESSION_CLAIM] = family.pk
    # neither token lives past the session's absolute end, however recently it was refreshed
    remaining = max(family.ends_at - refresh.current_time, timedelta(seconds=1))
    refresh.set_exp(from_time=refresh.current_time, lifetime=min(refresh.lifetime, remaining))
    access = refresh.access_token
    access.set_exp(from_time=refresh.current_time, lifetime=min(access.lifetime, remaining))
    # the token text is not kept: a copy of the table must not be a bag of live sessions
    OutstandingToken.objects.create(user=user, jti=refresh["jti"], token="", created_at=refresh.current_time,
                                    expires_at=datetime_from_epoch(refresh["exp"]))
    return {"access": str(access), "refresh": str(refresh)}


def session_revoke(*, family: SessionFamily, reason: str) -> None:
    if family.revoked_at is None:
        family.revoked_at, family.revoked_reason = timezone.now(), reason
        family.save(update_fields=["revoked_at", "revoked_reason"])


def user_sessions_revoke(*, user: User, reason: str) -> int:
    """Every session of the user ends: families revoked, live refresh tokens blacklisted."""
    now = timezone.now()
    SessionFamily.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now, revoked_reason=reason)
    live = list(OutstandingToken.objects.select_for_update().filter(
        user=user, expires_at__gt=now, blacklistedtoken__isnull=True))
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=t) for t in live], ignore_conflicts=True)
    return len(live)


def family_of(claims: dict) -> SessionFamily:
    """The token's session, locked; a token without one (or someone else's) is not ours."""
    family = SessionFamily.objects.select_for_update().filter(
        pk=positive_id(claims.get(SESSION_CLAIM)), user_id=claims["user_id"]).first()
    if family is None:
        raise TokenInvalid()
    return family


def refresh_claims(raw: str) -> dict:
    """The claims of a refresh token with a valid signature, unexpired; blacklisting is checked by callers."""
    try:
        claims = token_backend.decode(raw, verify=True)
    except TokenBackendError as exc:
        raise TokenInvalid() from exc
    if claims.get("token_type") != REFRESH or not isinstance(claims.get("jti"), str):
        raise TokenInvalid("Token has wrong type.")
    if positive_id(claims.get("user_id")) is None:
        raise TokenInvalid()
    return claims
