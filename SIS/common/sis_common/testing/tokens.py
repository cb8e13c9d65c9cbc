"""Access tokens shaped like servicio_auth's, signed with the test process's key."""
from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import jwt
from django.conf import settings


def access_token(*, user_id: int = 1, role: str = "admin", branches: list[int] | None = None,
                 lifetime: int = 900, **claims) -> str:
    now = int(time.time())
    payload = {
        "token_type": "access", "user_id": user_id, "role": role, "branches": branches or [],
        "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex, **claims,
    }
    key = settings.SIMPLE_JWT["SIGNING_KEY"] or Path(os.environ["EWTTO_JWT_PRIVATE_KEY_FILE"]).read_text()
    return jwt.encode(payload, key, algorithm="RS256")


def auth_header(**kwargs) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {access_token(**kwargs)}"}
