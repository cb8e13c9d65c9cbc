"""Edge token check: every request for a service's API needs a valid access token, checked like the services do.

Open without a token: sign-in and refresh, each service's health and schema,
the combined docs, and everything outside /api/ (web UI, static files, the
Django admins, whose staff sign in with a session). Unknown /api/ paths are
left to the router, which answers 404. The request goes on with its
Authorization header unchanged, so the service checks the token again.
"""
from __future__ import annotations

import re

from django.http import JsonResponse

from sis_common.auth.tokens import TokenRejected, bearer_token, verify_access

from .routes import API_TO_SERVICE

API_PATH = re.compile(r"^/api/(?P<api>[^/]+)/(?P<rest>.*)$")
OPEN_IN_EVERY_API = frozenset({"health/", "schema/"})
OPEN_IN_AUTH = frozenset({"token/", "token/refresh/"})


def needs_token(path: str) -> bool:
    match = API_PATH.match(path)
    if match is None or match["api"] not in API_TO_SERVICE:
        return False
    rest = match["rest"]
    # exact matches only: "token/../me/" is not the token endpoint
    return not (rest in OPEN_IN_EVERY_API or (match["api"] == "auth" and rest in OPEN_IN_AUTH))


def unauthorized(detail: str, code: str) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="ewtto"'
    return response


class EdgeAuthenticationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_token(request.path):
            try:
                raw = bearer_token(request.META.get("HTTP_AUTHORIZATION"))
                if raw is None:
                    return unauthorized("Authentication credentials were not provided.", "not_authenticated")
                request.token_claims = verify_access(raw)
            except TokenRejected as exc:
                return unauthorized(exc.detail, exc.code)
        return self.get_response(request)
