"""The gateway edge on a whole stack: routing to every service, bounded failures, limits, request IDs, edge auth."""
from __future__ import annotations

import time
import uuid

import jwt
import pytest
import requests

from sis_ops import supervisor
from sis_ops.status import wait_healthy

SERVICES = {"auth": "auth", "branches": "sucursales", "inventory": "inventario", "sales": "ventas"}


def mint(stack, *, role: str = "admin", branches: list[int] | None = None, key: str | None = None) -> str:
    """An access token shaped like servicio_auth's, signed with the stack's key (or another)."""
    now = int(time.time())
    claims = {"token_type": "access", "user_id": 1, "role": role, "branches": branches or [],
              "iat": now, "exp": now + 600, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, key or stack.secrets.jwt_private.read_text(), algorithm="RS256")


@pytest.fixture(scope="module")
def admin(stack) -> dict:
    return {"Authorization": f"Bearer {mint(stack)}"}


def wait_answering(url: str, headers: dict, timeout: float = 60) -> requests.Response:
    """Poll until the URL stops answering 5xx (a restarted service, a circuit that closes again)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            # a restarted app takes the first requests while its workers still boot
            answer = requests.get(url, headers=headers, timeout=20)
        except requests.RequestException:
            answer = None
        if (answer is not None and answer.status_code < 500) or time.monotonic() > deadline:
            return answer
        time.sleep(0.3)


@pytest.mark.parametrize("api, service", SERVICES.items())
def test_each_api_reaches_its_own_service(gateway, http, api, service):
    answer = http.get(f"{gateway}/api/{api}/health/", timeout=10)
    assert answer.status_code == 200
    assert answer.json()["service"] == service


def test_methods_and_bodies_pass_through_unchanged(gateway, http, admin):
    # the auth service parses the JSON body: a wrong password is its own 401, not the edge's
    answer = http.post(f"{gateway}/api/auth/token/", json={"username": "nobody", "password": "wrong"}, timeout=10)
    assert answer.status_code == 401
    assert answer.json()["code"]
    # a DELETE reaches the branches service, which answers for its own resource
    answer = http.delete(f"{gateway}/api/branches/987654/", headers=admin, timeout=10)
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    # a query string reaches the service intact: an invalid filter is its own 400 naming the field
    answer = http.get(f"{gateway}/api/sales/", params={"date_from": "not-a-date"}, headers=admin, timeout=10)
    assert answer.status_code == 400
    assert "date_from" in answer.json()


def test_request_id_is_kept_or_created_and_returned(gateway, http):
    answer = http.get(f"{gateway}/api/inventory/health/", headers={"X-Request-ID": "till-7.sale-42"}, timeout=10)
    assert answer.headers["X-Request-ID"] == "till-7.sale-42"
    created = http.get(f"{gateway}/api/inventory/health/", timeout=10).headers["X-Request-ID"]
    assert len(created) == 32 and int(created, 16) >= 0


def test_body_over_the_limit_is_a_json_413_at_the_public_port(gateway, http, admin):
    json_admin = {**admin, "Content-Type": "application/json"}
    answer = http.post(f"{gateway}/api/sales/", data=b"x" * (1024 * 1024 + 1), headers=json_admin, timeout=10)
    assert answer.status_code == 413
    assert answer.json()["code"] == "request_too_large"


def test_chunked_bodies_are_bounded_and_forwarded_by_the_app_itself(stack, admin):
    app = f"http://127.0.0.1:{stack.app_port('gateway')}"
    too_big = (b"x" * 65536 for _ in range(17))  # 1.06 MiB, sent without a length
    json_admin = {**admin, "Content-Type": "application/json"}
    answer = requests.post(f"{app}/api/sales/", data=too_big, headers=json_admin, timeout=10)
    assert answer.status_code == 413
    assert answer.json()["code"] == "request_too_large"
    # a small chunked body arrives whole: the auth service reads the credentials in it
    small = (part for part in (b'{"username": "nobody", ', b'"password": "wrong"}'))
    answer = requests.post(f"{app}/api/auth/token/", data=small, headers={"Content-Type": "application/json"},
                           timeout=10)
    assert answer.status_code == 401


def test_a_missing_or_forged_token_is_refused_at_the_edge_before_any_service(gateway, http, stack):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    supervisor.stop_program(stack, "nginx-ventas")
    try:
        # with the sales service unreachable, only the edge can be answering these
        for headers in ({}, {"Authorization": f"Bearer {mint(stack, key=foreign)}"}, {"Authorization": "Bearer x.y.z"}):
            answer = http.get(f"{gateway}/api/sales/", headers=headers, timeout=10)
            assert answer.status_code == 401, answer.text
            assert answer.json()["code"]
        # a valid token goes through to the (stopped) service
        answer = http.get(f"{gateway}/api/sales/", headers={"Authorization": f"Bearer {mint(stack)}"}, timeout=10)
        assert answer.status_code == 503
    finally:
        supervisor.start_program(stack, "nginx-ventas")
    wait_healthy(stack, timeout=90)


def test_stopped_service_app_is_a_json_503_and_the_others_keep_answering(gateway, http, stack, admin):
    supervisor.stop_program(stack, "app-ventas")
    try:
        answer = http.get(f"{gateway}/api/sales/", headers=admin, timeout=10)
        assert answer.status_code == 503
        assert answer.json() == {"detail": answer.json()["detail"], "code": "service_unavailable", "service": "ventas"}
        assert answer.headers["Retry-After"] == "1"
        assert http.get(f"{gateway}/api/inventory/products/", headers=admin, timeout=10).status_code == 200
        health = http.get(f"{gateway}/health", timeout=10).json()
        assert health["status"] == "degraded"
        assert health["services"]["ventas"]["status"] == "down"
        assert health["services"]["inventario"]["db"]["primary"]
    finally:
        supervisor.start_program(stack, "app-ventas")
    assert getattr(wait_answering(f"{gateway}/api/sales/", admin), "status_code", None) == 200
    assert wait_healthy(stack, timeout=90)["status"] == "ok"


def test_stopped_service_nginx_is_a_json_503_and_comes_back_after_restart(gateway, http, stack, admin):
    supervisor.stop_program(stack, "nginx-ventas")
    try:
        # the first refusals and the ones the open circuit answers look the same to the client
        for _ in range(8):
            answer = http.get(f"{gateway}/api/sales/", headers=admin, timeout=10)
            assert answer.status_code == 503
            assert answer.json()["code"] == "service_unavailable"
            assert answer.json()["service"] == "ventas"
        assert http.get(f"{gateway}/api/branches/", headers=admin, timeout=10).status_code == 200
        assert http.get(f"{gateway}/api/auth/health/", timeout=10).status_code == 200
    finally:
        supervisor.start_program(stack, "nginx-ventas")
    # the circuit lets a probe through after its cool-down and closes again
    assert getattr(wait_answering(f"{gateway}/api/sales/", admin), "status_code", None) == 200
    assert wait_healthy(stack, timeout=90)["status"] == "ok"


def test_combined_docs_list_every_schema_and_serve_their_assets_locally(gateway, http):
    page = http.get(f"{gateway}/api/docs/", timeout=10)
    assert page.status_code == 200
    assert "swagger-ui-bundle.js" in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        answer = http.get(f"{gateway}/static/gateway/drf_spectacular_sidecar/swagger-ui-dist/{asset}", timeout=10)
        assert answer.status_code == 200 and len(answer.content) > 10000
    for api in SERVICES:
        schema = http.get(f"{gateway}/api/docs/schema/{api}/", timeout=20)
        assert schema.status_code == 200
        body = schema.json()
        assert body["openapi"].startswith("3.")
        assert body["paths"] and all(p.startswith(f"/api/{api}/") for p in body["paths"])


def test_web_ui_shell_and_modules_are_served_by_the_gateway(gateway, http):
    shell = http.get(f"{gateway}/", timeout=10)
    assert shell.status_code == 200
    assert "/static/gateway/ui/app.js" in shell.text
    module = http.get(f"{gateway}/static/gateway/ui/app.js", timeout=10)
    assert module.status_code == 200
    assert "javascript" in module.headers["Content-Type"]
    assert module.headers["Cache-Control"] == "no-cache"
