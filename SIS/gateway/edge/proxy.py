"""Forwarding one request to a service and its answer back, headers cleaned both ways."""
from __future__ import annotations

import urllib3
from django.http import HttpResponse, JsonResponse

from sis_common import request_id

from .upstream import pool

HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
    "transfer-encoding", "upgrade", "content-length", "host",
})


def forward(request, service: str, path: str) -> HttpResponse:
    url = path + (f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else "")
    try:
        upstream = pool(service).urlopen(
            request.method, url, body=request.body or None, headers=_request_headers(request),
            redirect=False, preload_content=True, assert_same_host=False,
        )
    except urllib3.exceptions.TimeoutError:
        return _unavailable(service, 504, "upstream_timeout", "The service did not answer in time.")
    except urllib3.exceptions.HTTPError:
        return _unavailable(service, 503, "service_unavailable", "The service is unavailable; retry shortly.")
    return _response(upstream)


def _request_headers(request) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    headers["X-Request-ID"] = request_id.get()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    remote = request.META.get("REMOTE_ADDR", "")
    headers["X-Forwarded-For"] = f"{forwarded}, {remote}" if forwarded else remote
    headers["X-Forwarded-Proto"] = request.META.get("HTTP_X_FORWARDED_PROTO", request.scheme)
    headers["X-Forwarded-Host"] = request.get_host()
    return headers


def _response(upstream) -> HttpResponse:
    response = HttpResponse(upstream.data, status=upstream.status)
    for name, value in upstream.headers.items():
        if name.lower() not in HOP_BY_HOP and name.lower() != "set-cookie":
            response[name] = value
    for cookie in upstream.headers.getlist("Set-Cookie"):
        response.cookies.load(cookie)
    return response


def _unavailable(service: str, status: int, code: str, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code, "service": service}, status=status)
    response["Retry-After"] = "1"
    return response
