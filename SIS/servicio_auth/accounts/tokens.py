"""Token pairs of servicio_auth: signed RS256 with claims role and branches, recorded for rotation.

Every refresh token is recorded (simplejwt's OutstandingToken) when issued;
rotation, logout and revocation blacklist it under a row lock, so two refreshes
racing with one token cannot both succeed.
"""
from __future__ import annotations

from typing import TypedDict

from rest_framework_simplejwt.exceptions import TokenBackendError
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from sis_common.auth.principal import positive_id

from .errors import TokenInvalid
from .models import User

REFRESH = "refresh"


class TokenPair(TypedDict):
    access: str
    refresh: str


def claims_for(user: User) -> dict:
    return {"user_id": user.pk, "username": user.username, "role": user.role, "branches": user.branch_list()}


def token_pair_issue(*, user: User) -> TokenPair:
    """A new pair carrying the user's current role and branches; call inside a transaction."""
    refresh = RefreshToken()
    for name, value in claims_for(user).items():
        refresh[name] = value
    # the token text is not kept: a copy of the table must not be a bag of live sessions
    OutstandingToken.objects.create(user=user, jti=refresh["jti"], token="", created_at=refresh.current_time,
                                    expires_at=datetime_from_epoch(refresh["exp"]))
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


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
