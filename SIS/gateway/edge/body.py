"""The request body, read once and bounded: a declared or streamed body over the limit is refused."""
from __future__ import annotations

from django.conf import settings

READ_CHUNK = 65536


class BodyRefused(Exception):
    def __init__(self, status: int, code: str, detail: str):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def _too_large() -> BodyRefused:
    return BodyRefused(413, "request_too_large", "Request body too large.")


def read_body(request) -> bytes | None:
    """The raw body to forward unchanged, or None when there is none."""
    limit = settings.EWTTO_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH")
    if declared:
        if not declared.isdigit():
            raise BodyRefused(400, "bad_request", "Invalid Content-Length.")
        if int(declared) > limit:
            raise _too_large()
        return request.body or None
    if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return _read_chunked(request.environ["wsgi.input"], limit) or None
    return None


def _read_chunked(stream, limit: int) -> bytes:
    # without a length Django's own request.body reads nothing, so read the
    # de-chunked WSGI input ourselves, never holding more than limit + 1 bytes
    parts, size = [], 0
    while True:
        part = stream.read(min(READ_CHUNK, limit + 1 - size))
        if not part:
            return b"".join(parts)
        parts.append(part)
        size += len(part)
        if size > limit:
            raise _too_large()
