"""Request bodies: over the limit is a JSON 413 before any service is called; others pass unchanged."""
import pytest

pytestmark = pytest.mark.usefixtures("dead_upstreams")


def test_declared_body_over_the_limit_is_413_and_never_forwarded(api, settings):
    settings.EWTTO_MAX_BODY_BYTES = 1000
    response = api.post("/api/sales/", b"x" * 1001, content_type="application/json")
    assert response.status_code == 413  # a forwarded request would have met the dead upstream: 503
    assert response.json() == {"detail": "Request body too large.", "code": "request_too_large"}


def test_body_at_the_limit_is_forwarded(api, settings):
    settings.EWTTO_MAX_BODY_BYTES = 1000
    response = api.post("/api/sales/", b"x" * 1000, content_type="application/json")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


def test_garbled_content_length_is_a_json_400(api):
    response = api.generic("POST", "/api/sales/", b"{}", content_type="application/json", CONTENT_LENGTH="12abc")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
