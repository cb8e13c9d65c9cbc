"""The WSGI fast path answers API requests exactly as Django's full handler does, and leaves the rest to it."""
import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from edge.fastpath import EdgeFastPath
from sis_common.testing.tokens import auth_header

from .conftest import HungServer


class Recorder:
    """Calls a WSGI app the way gunicorn does and keeps what it answered."""

    def __init__(self, app):
        self.app = app

    def __call__(self, method: str, path: str, **extra) -> tuple[int, dict, bytes]:
        environ = RequestFactory().generic(method, path, **extra).environ
        seen = {}

        def start_response(status, headers):
            seen["status"], seen["headers"] = int(status.split()[0]), headers

        answer = self.app(environ, start_response)
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        return seen["status"], seen["headers"], body


@pytest.fixture
def both():
    """(fast path, Django alone): the same request through each."""
    django_app = WSGIHandler()
    return Recorder(EdgeFastPath(django_app)), Recorder(django_app)


def comparable(headers: list[tuple[str, str]]) -> dict:
    # the request ID is fresh per request; everything else must match
    return {k: v for k, v in headers if k != "X-Request-ID"}


def fastpath_taken(app: Recorder, monkeypatch) -> list[str]:
    """Record whether requests bypass Django's handler (the fast path's whole point)."""
    bypassed = []
    original = app.app.django_app

    def django_called(environ, start_response):
        bypassed.append(environ["PATH_INFO"])
        return original(environ, start_response)

    monkeypatch.setattr(app.app, "django_app", django_called)
    return bypassed


def test_missing_token_is_the_same_401(both, monkeypatch):
    fast, full = both
    to_django = fastpath_taken(fast, monkeypatch)
    a, b = fast("GET", "/api/sales/"), full("GET", "/api/sales/")
    assert to_django == []
    assert a[0] == b[0] == 401
    assert json.loads(a[2]) == json.loads(b[2]) == {"detail": "Authentication credentials were not provided.",
                                                     "code": "not_authenticated"}
    assert comparable(a[1]) == comparable(b[1])
    assert dict(a[1])["WWW-Authenticate"] == 'Bearer realm="ewtto"'


def test_dead_service_is_the_same_503(both, dead_upstreams):
    fast, full = both
    auth = auth_header(role="admin")
    a = fast("POST", "/api/inventory/movements/", data=b'{"quantity": 1}', content_type="application/json", **auth)
    b = full("POST", "/api/inventory/movements/", data=b'{"quantity": 1}', content_type="application/json", **auth)
    assert a[0] == b[0] == 503
    assert json.loads(a[2]) == json.loads(b[2])
    assert comparable(a[1]) == comparable(b[1])
    assert dict(a[1])["Retry-After"] == "1"
    assert dict(a[1])["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware ran on the way out


def test_request_id_is_kept_and_answered(both, dead_upstreams):
    fast, _ = both
    status, headers, _ = fast("GET", "/api/sales/", HTTP_X_REQUEST_ID="trace-7", **auth_header(role="admin"))
    assert status == 503
    assert dict(headers)["X-Request-ID"] == "trace-7"


def test_hung_service_times_out_the_same_way(both, settings):
    fast, _ = both
    server = HungServer()
    try:
        settings.EWTTO_UPSTREAMS = {"inventario": server.url}
        settings.EWTTO_UPSTREAM_READ_TIMEOUT = 0.3
        status, _, body = fast("GET", "/api/inventory/products/", **auth_header(role="admin"))
    finally:
        server.close()
    assert status == 504
    assert json.loads(body)["code"] == "upstream_timeout"


def test_a_host_not_allowed_is_refused_the_same_way(both, dead_upstreams):
    fast, full = both
    a = fast("GET", "/api/sales/", HTTP_HOST="evil.example", **auth_header(role="admin"))
    b = full("GET", "/api/sales/", HTTP_HOST="evil.example", **auth_header(role="admin"))
    assert a[0] == b[0] == 400
    assert a[2] == b[2]


@pytest.mark.parametrize("path", ["/api/unknown/", "/api/docs/", "/health", "/", "/api/inventory"])
def test_everything_else_is_left_to_django(both, monkeypatch, dead_upstreams, path):
    fast, full = both
    to_django = fastpath_taken(fast, monkeypatch)
    a, b = fast("GET", path), full("GET", path)
    assert to_django == [path]
    assert a[0] == b[0]
