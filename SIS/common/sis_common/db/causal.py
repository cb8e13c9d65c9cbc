"""Middleware carrying a client's last write (its GTID) so its next read sees it.

The token is the write's GTID signed by this service (its SECRET_KEY, a salt of its
own) with the time it was issued: a token we did not issue, or one older than
COOKIE_MAX_AGE, is ignored without a query, so a forged token costs nothing, and a
real one makes the replica wait at most router.MAX_WAIT_SECONDS, once per request.
"""
from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import connections

from . import request_state

HEADER = "X-Causal-Token"
COOKIE_MAX_AGE = 60
INTERNAL_PREFIX = "/internal/"


def cookie_name() -> str:
    return f"ewtto_causal_{settings.EWTTO_SERVICE}"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"ewtto.causal.{settings.EWTTO_SERVICE}")


def issue(gtid: str) -> str:
    return _signer().sign(gtid)


def verified_gtid(token: str | None) -> str | None:
    """The GTID of a token this service issued within COOKIE_MAX_AGE seconds; None for anything else."""
    if not token or len(token) > 512:
        return None
    try:
        return _signer().unsign(token, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return None


class CausalReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.headers.get(HEADER) or request.COOKIES.get(cookie_name())
        state = request_state.begin(verified_gtid(token))
        try:
            response = self.get_response(request)
            # another service calling /internal/ never presents a token again: none is made for it
            if state.wrote and not request.path_info.startswith(INTERNAL_PREFIX):
                _hand_out_token(response)
            return response
        finally:
            request_state.end()


def _hand_out_token(response) -> None:
    gtid = last_gtid()
    if gtid:
        token = issue(gtid)
        response[HEADER] = token
        response.set_cookie(cookie_name(), token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax")


def last_gtid() -> str | None:
    conn = connections["default"]
    if conn.connection is None:
        return None
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT @@last_gtid")
            return cur.fetchone()[0] or None
    except Exception:  # a token is an optimisation; its absence only costs a primary read
        return None
