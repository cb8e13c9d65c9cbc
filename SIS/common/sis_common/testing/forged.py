"""Tokens every verifier must refuse, made from the real key pair: for tests at the services and the gateway."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(obj: dict) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode())


def claims(*, user_id: int = 1, role: str = "cashier", branches: list[int] | None = None, lifetime: int = 900,
           token_type: str = "access") -> dict:
    now = int(time.time())
    return {"token_type": token_type, "user_id": user_id, "role": role, "branches": branches or [],
            "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex}


def sign(payload: dict, private_pem: str | bytes) -> str:
    return jwt.encode(payload, private_pem, algorithm="RS256")


def other_private_key() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def rejected_tokens(private_pem: str | bytes, public_pem: str | bytes, **claim_args) -> dict[str, str]:
    """name -> a token that must get a 401; each is a real token bent in one way."""
    good = claims(**claim_args)
    header, _, signature = sign(good, private_pem).split(".")
    escalated = {**good, "role": "admin", "branches": []}
    public = public_pem.encode() if isinstance(public_pem, str) else public_pem
    hs_head = _segment({"alg": "HS256", "typ": "JWT"}) + "." + _segment(good)
    hs_sig = _b64(hmac.new(public, hs_head.encode(), hashlib.sha256).digest())
    return {
        "alg_none": _segment({"alg": "none", "typ": "JWT"}) + "." + _segment(good) + ".",
        "tampered_payload": f"{header}.{_segment(escalated)}.{signature}",
        "wrong_key": sign(good, other_private_key()),
        "expired": sign({**good, "iat": good["iat"] - 7200, "exp": good["iat"] - 3600}, private_pem),
        "refresh_as_access": sign({**good, "token_type": "refresh", "exp": good["iat"] + 86400}, private_pem),
        "hs256_signed_with_public_key": f"{hs_head}.{hs_sig}",
        "no_user_id": sign({k: v for k, v in good.items() if k != "user_id"}, private_pem),
        "garbage": "not-a.jwt.at-all",
    }
