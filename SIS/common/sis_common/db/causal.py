"""Middleware carrying a client's last write (its GTID) so its next read sees it."""
from __future__ import annotations

from django.conf import settings
from django.db import connections

from . import routing

HEADER = "X-Causal-Token"
COOKIE_MAX_AGE = 60


def cookie_name() -> str:
    return f"ewtto_causal_{settings.EWTTO_SERVICE}"


class CausalReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.headers.get(HEADER) or request.COOKIES.get(cookie_name())
        state = routing.begin(token)
        try:
            response = self.get_response(request)
            if state.wrote:
                _hand_out_token(response)
            return response
        finally:
            routing.end()


def _hand_out_token(response) -> None:
    gtid = last_gtid()
    if gtid:
        response[HEADER] = gtid
        response.set_cookie(cookie_name(), gtid, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax")


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
