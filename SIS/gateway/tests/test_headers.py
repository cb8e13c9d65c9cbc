"""Headers both ways: hop-by-hop ones stripped, request ID and X-Forwarded-* set, cookies kept."""
import urllib3
from django.test import RequestFactory

from edge.proxy import _response, request_headers
from sis_common import request_id


def forwarded_headers(**meta):
    request = RequestFactory().post("/api/sales/", b"{}", content_type="application/json", **meta)
    token = request_id._current.set("rid-42")
    try:
        return request_headers(request)
    finally:
        request_id._current.reset(token)


def test_hop_by_hop_headers_and_the_ones_named_in_connection_are_dropped():
    headers = forwarded_headers(
        HTTP_CONNECTION="keep-alive, X-Secret-Hop", HTTP_KEEP_ALIVE="timeout=5", HTTP_TE="trailers",
        HTTP_UPGRADE="websocket", HTTP_PROXY_AUTHORIZATION="Basic eA==", HTTP_X_SECRET_HOP="1",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    lowered = {k.lower() for k in headers}
    for hop in ("connection", "keep-alive", "te", "upgrade", "proxy-authorization", "x-secret-hop",
                "transfer-encoding", "content-length"):
        assert hop not in lowered


def test_end_to_end_headers_pass_unchanged():
    headers = forwarded_headers(HTTP_AUTHORIZATION="Bearer abc", HTTP_IDEMPOTENCY_KEY="k-1",
                                HTTP_COOKIE="ewtto_causal_ventas=0-1-5", HTTP_ACCEPT_LANGUAGE="es")
    assert headers["Authorization"] == "Bearer abc"
    assert headers["Idempotency-Key"] == "k-1"
    assert headers["Cookie"] == "ewtto_causal_ventas=0-1-5"
    assert headers["Accept-Language"] == "es"
    assert headers["Content-Type"] == "application/json"
    assert headers["Host"] == "testserver"


def test_request_id_and_forwarded_headers_are_the_gateways_own():
    headers = forwarded_headers(HTTP_X_REQUEST_ID="spoofed", HTTP_X_FORWARDED_FOR="203.0.113.9",
                                HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1")
    assert headers["X-Request-ID"] == "rid-42"
    assert headers["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "https"
    assert headers["X-Forwarded-Host"] == "testserver"


def test_without_a_proxy_in_front_the_peer_and_scheme_are_used():
    headers = forwarded_headers(REMOTE_ADDR="192.0.2.7")
    assert headers["X-Forwarded-For"] == "192.0.2.7"
    assert headers["X-Forwarded-Proto"] == "http"


def test_answer_headers_lose_hop_by_hop_ones_and_keep_every_cookie():
    upstream = urllib3.HTTPResponse(
        body=b'{"ok": true}', status=201,
        headers=urllib3.HTTPHeaderDict([
            ("Content-Type", "application/json"), ("Connection", "keep-alive"), ("Keep-Alive", "timeout=30"),
            ("Transfer-Encoding", "chunked"), ("X-Causal-Token", "0-1-7"), ("Vary", "Accept"), ("Vary", "Cookie"),
            ("Set-Cookie", "ewtto_causal_ventas=0-1-7; Path=/; HttpOnly"), ("Set-Cookie", "other=1; Path=/"),
        ]),
    )
    response = _response("ventas", upstream)
    assert response.status_code == 201
    assert response.content == b'{"ok": true}'
    assert response["X-Causal-Token"] == "0-1-7"
    assert response["Vary"] == "Accept, Cookie"
    for hop in ("Connection", "Keep-Alive", "Transfer-Encoding"):
        assert not response.has_header(hop)
    assert response.cookies["ewtto_causal_ventas"].value == "0-1-7"
    assert response.cookies["ewtto_causal_ventas"]["httponly"]
    assert response.cookies["other"].value == "1"
