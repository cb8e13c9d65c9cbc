"""Checking an access token by its signature alone (RS256, public key): services and the gateway share it."""
from __future__ import annotations

import logging
import time
from functools import lru_cache

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.conf import settings

log = logging.getLogger(__name__)

# Never taken from the token's header: a token choosing its own algorithm is how `alg: none`
# and HMAC-with-the-public-key forgeries get in.
ALGORITHM = "RS256"
ACCESS = "access"
REQUIRED_CLAIMS = ("exp", "iat", "jti", "token_type", "user_id")
VERIFIED_CACHE_SIZE = 4096


class TokenRejected(Exception):
    """The token may not be used: bad signature, expired, wrong type or malformed."""

    def __init__(self, detail: str, code: str = "token_not_valid"):
        super().__init__(detail)
        self.detail, self.code = detail, code


def bearer_token(header: str | bytes | None) -> bytes | None:
    """The token of an `Authorization: Bearer <token>` header; None when there is no bearer header."""
    if not header:
        return None
    parts = (header.encode("latin-1") if isinstance(header, str) else header).split()
    if not parts or parts[0] != b"Bearer":
        return None
    if len(parts) != 2:
        raise TokenRejected("Authorization header must be 'Bearer <token>'.", "bad_authorization_header")
    return parts[1]


@lru_cache(maxsize=4)
def _public_key(pem: str):
    return load_pem_public_key(pem.encode())


def verify_access(raw: str | bytes, *, expired_grace: float = 0) -> dict:
    """The claims of a valid access token; TokenRejected otherwise.

    `expired_grace` seconds past its expiry a genuine token still passes: only for an
    internal endpoint that a caller retries for a user later (sis_common.auth.acting).
    """
    conf = settings.SIMPLE_JWT
    pem = conf.get("VERIFYING_KEY") or ""
    if not pem:
        log.error("no JWT public key configured (EWTTO_JWT_PUBLIC_KEY_FILE): every token is refused")
        raise TokenRejected("Tokens cannot be verified here.")
    leeway = conf.get("LEEWAY", 0) + expired_grace
    claims = _verified(raw, pem, leeway)
    if claims["exp"] + leeway <= time.time():
        raise TokenRejected("Token is expired.")
    return dict(claims)


# Tokens that passed the full check, by their exact bytes (signature included) and the key that checked
# them: a client sends the same token with every request, and an RS256 verify costs more than the rest
# of a cached read. Only expiry can change for a token already verified, so every hit re-checks just
# that; a refusal raises, so it is never kept.
@lru_cache(maxsize=VERIFIED_CACHE_SIZE)
def _verified(raw: str | bytes, pem: str, leeway) -> dict:
    """The full check: signature with the public key, required claims, expiry, token type."""
    try:
        claims = jwt.decode(raw, _public_key(pem), algorithms=[ALGORITHM], leeway=leeway,
                            options={"require": list(REQUIRED_CLAIMS)})
    except jwt.ExpiredSignatureError as exc:
        raise TokenRejected("Token is expired.") from exc
    except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
        raise TokenRejected("Token is invalid.") from exc
    if claims.get("token_type") != ACCESS:
        raise TokenRejected("Token has wrong type.")
    return claims
