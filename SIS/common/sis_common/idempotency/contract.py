"""What every keyed write answers, whichever way it keeps its key: the headers, the fingerprint, the refusals."""
from __future__ import annotations

import hashlib
import json

from sis_common.errors import DomainError

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


def fingerprint(payload) -> str:
    """The hash a key is bound to: the same payload in any key order matches."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def key_required() -> DomainError:
    return DomainError(f"The {HEADER} header is required.", "idempotency_key_required", 400)


def key_invalid() -> DomainError:
    return DomainError(f"{HEADER} must be printable and at most {MAX_KEY_LENGTH} characters.",
                       "idempotency_key_invalid", 400)


def in_progress() -> DomainError:
    """A duplicate of a request still running: told at once, never kept waiting."""
    return DomainError(f"A request with this {HEADER} is still being processed.", "idempotency_in_progress", 409)


def key_reused() -> DomainError:
    return DomainError(f"This {HEADER} was used with a different request.", "idempotency_key_reused", 422)
