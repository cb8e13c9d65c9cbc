"""The edge's token check, asked by the gateway nginx (auth_request) before it passes a request on.

The answer says how long nginx may reuse it for the same Authorization header
(X-Accel-Expires, whole seconds): at most EWTTO_EDGE_DECISION_SECONDS, and for
a valid token never past its expiry (plus the leeway every service allows), so
an expired token stops passing when the services stop taking it.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings

from sis_common.auth.tokens import TokenRejected, bearer_token, verify_access


@dataclass(frozen=True)
class Decision:
    allowed: bool
    seconds: int  # how long the decision may be reused
    code: str = ""
    detail: str = ""


def decide(authorization: str | None) -> Decision:
    bound = settings.EWTTO_EDGE_DECISION_SECONDS
    try:
        raw = bearer_token(authorization)
        if raw is None:
            return Decision(False, bound, "not_authenticated", "Authentication credentials were not provided.")
        claims = verify_access(raw)
    except TokenRejected as exc:
        return Decision(False, bound, exc.code, exc.detail)
    left = claims["exp"] + settings.SIMPLE_JWT.get("LEEWAY", 0) - time.time()
    return Decision(True, max(0, min(bound, math.floor(left))))
