"""Forwarding one request to a service and its answer back, headers cleaned both ways.

Bounded: a refused or timed-out connection answers 503 within the connect
timeout, a service that stops answering 504 after the read timeout, and a
service whose circuit is open 503 at once. Methods, query strings and bodies
pass through unchanged.
"""
from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from django.http import HttpResponse, JsonResponse
from urllib3.exceptions import ConnectTimeoutError, HTTPError, ReadTimeoutError

from sis_common import request_id

from .body import BodyRefused, read_body
from .breaker import breaker
from .upstream import pool

# RFC 9110 §7.6.1 hop-by-hop headers, plus the length the pool sets itself for the body it sends
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
    "trailer", "trailers", "transfer-encoding", "upgrade", "content-length",
})
# set by the gateway from what it saw, never trusted from the client as they are; the internal
# token is for service-to-service calls and never comes from a client
OWN_HEADERS = frozenset({"host", "x-request-id", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
                         "x-internal-token"})
REQUEST_DROP = HOP_BY_HOP | OWN_HEADERS
UNAVAILABLE_STATUSES = frozenset({502, 503, 504})
# what a path segment may hold unescaped (RFC 3986 pchar and "/"); anything else goes on percent-encoded
PATH_SAFE = "/-._~!$&'()*+,;=:@"


def forward(request, service: str, path: str) -> HttpResponse:
    try:
        body = read_body(request)
    except BodyRefused as refused:
        return JsonResponse({"detail": refused.detail, "code": refused.code}, status=refused.status)
    circuit = breaker(service)
    if not circuit.allow():
        return unavailable(service, 503, "service_unavailable", "The service is unavailable; retry shortly.")
    path = wire_path(request, path)
    query = request.META.get("QUERY_STRING")
    try:
        upstream = pool(service).urlopen(
            request.method, f"{path}?{query}" if query else path, body=body, headers=request_headers(request),
            redirect=False, preload_content=True, decode_content=False, assert_same_host=False,
        )
    except ConnectTimeoutError:  # refused or unreachable (NewConnectionError is a subclass)
        circuit.failed()
        return unavailable(service, 503, "service_unavailable", "The service is unavailable; retry shortly.")
    except ReadTimeoutError:
        circuit.succeeded()
        return unavailable(service, 504, "upstream_timeout", "The service did not answer in time.")
    except HTTPError:  # connected, then the connection broke: the outcome is unknown
        circuit.succeeded()
        return unavailable(service, 503, "service_unavailable", "The service is unavailable; retry shortly.")
    circuit.succeeded()
    return _response(service, upstream)


def wire_path(request, path: str) -> str:
    """The path as the client sent it (still percent-encoded), else `path` encoded again.

    Django hands over the path decoded: sent on like that, "%23" or "%3F" would end it upstream
    (/api/auth/users/%23x/ reached the user list) and "%2F" would become a real "/".
    """
    raw = urlsplit(request.META.get("RAW_URI", "")).path
    if raw and unquote(raw) == path:
        return raw
    return quote(path, safe=PATH_SAFE)


def request_headers(request) -> dict[str, str]:
    """The client's end-to-end headers plus the gateway's request ID and X-Forwarded-*."""
    drop = _with_connection_tokens(REQUEST_DROP, request.META.get("HTTP_CONNECTION"))
    headers = {k: v for k, v in request.headers.items() if v and k.lower() not in drop}
    headers["X-Request-ID"] = request_id.get()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    remote = request.META.get("REMOTE_ADDR", "")
    headers["X-Forwarded-For"] = f"{forwarded}, {remote}" if forwarded else remote
    headers["X-Forwarded-Proto"] = request.META.get("HTTP_X_FORWARDED_PROTO") or request.scheme
    # the client's host (already checked against ALLOWED_HOSTS), so links the services build point here
    headers["Host"] = headers["X-Forwarded-Host"] = request.get_host()
    return headers


def _with_connection_tokens(drop: frozenset[str], connection: str | None) -> frozenset[str]:
    # headers named in Connection are hop-by-hop for this hop only; most requests name none
    if not connection:
        return drop
    return drop | {token.strip().lower() for token in connection.split(",")}


def _response(service: str, upstream) -> HttpResponse:
    headers = upstream.headers
    if upstream.status in UNAVAILABLE_STATUSES and "json" not in headers.get("Content-Type", ""):
        # the service's nginx answered for a dead or stuck app: keep the JSON error contract
        if upstream.status == 504:
            return unavailable(service, 504, "upstream_timeout", "The service did not answer in time.")
        return unavailable(service, 503, "service_unavailable", "The service is unavailable; retry shortly.")
    response = HttpResponse(upstream.data, status=upstream.status)
    drop = _with_connection_tokens(HOP_BY_HOP, headers.get("Connection"))
    for name in headers:
        lowered = name.lower()
        if lowered not in drop and lowered != "set-cookie":
            response[name] = headers[name]  # repeated headers arrive joined with ", "
    for cookie in headers.getlist("Set-Cookie"):
        response.cookies.load(cookie)
    return response


def unavailable(service: str, status: int, code: str, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code, "service": service}, status=status)
    response["Retry-After"] = "1"
    return response
