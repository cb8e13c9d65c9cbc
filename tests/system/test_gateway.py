"""The gateway edge on a whole stack, through its real nginx: routing, bounded failures, limits, request IDs, tokens."""
from __future__ import annotations

import time
import uuid

import jwt
import pytest
import requests

from sis_ops import supervisor
from sis_ops.status import wait_healthy

SERVICES = {"auth": "auth", "branches": "sucursales", "inventory": "inventario", "sales": "ventas",
            "purchasing": "compras", "customers": "clientes"}


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
    """Poll until the URL stops answering 5xx (a restarted service or gateway)."""
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


def test_an_invalid_request_id_is_replaced_and_edge_answers_carry_one_too(gateway, http):
    created = http.get(f"{gateway}/api/inventory/health/", headers={"X-Request-ID": "no spaces!"}, timeout=10)
    assert created.headers["X-Request-ID"] != "no spaces!" and len(created.headers["X-Request-ID"]) == 32
    refused = http.get(f"{gateway}/api/inventory/products/", headers={"X-Request-ID": "till-7.r-1"}, timeout=10)
    assert refused.status_code == 401 and refused.headers["X-Request-ID"] == "till-7.r-1"


def test_body_over_the_limit_is_a_json_413_at_the_public_port(gateway, http, admin):
    json_admin = {**admin, "Content-Type": "application/json"}
    answer = http.post(f"{gateway}/api/sales/", data=b"x" * (1024 * 1024 + 1), headers=json_admin, timeout=10)
    assert answer.status_code == 413
    assert answer.json()["code"] == "request_too_large"


def test_chunked_bodies_are_bounded_and_forwarded_whole(gateway, admin):
    too_big = (b"x" * 65536 for _ in range(17))  # 1.06 MiB, sent without a length
    json_admin = {**admin, "Content-Type": "application/json"}
    answer = requests.post(f"{gateway}/api/sales/", data=too_big, headers=json_admin, timeout=10)
    assert answer.status_code == 413
    assert answer.json()["code"] == "request_too_large"
    # a small chunked body arrives whole: the auth service reads the credentials in it
    small = (part for part in (b'{"username": "nobody", ', b'"password": "wrong"}'))
    answer = requests.post(f"{gateway}/api/auth/token/", data=small, headers={"Content-Type": "application/json"},
                           timeout=10)
    assert (answer.status_code, answer.json()["code"]) == (401, "no_active_account")


def branch_requests(stack) -> float:
    """How many requests the branches service has answered for its list, over every worker (/metrics)."""
    from prometheus_client.parser import text_string_to_metric_families

    text = requests.get(f"{stack.url('sucursales')}/metrics", timeout=10).text
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "ewtto_http_requests_total" and sample.labels.get("route") == "api/branches/")


def test_no_bad_expired_or_forged_token_reaches_the_service(gateway, http, stack):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    now = int(time.time())
    expired = jwt.encode({"token_type": "access", "user_id": 1, "role": "admin", "branches": [], "iat": now - 900,
                          "exp": now - 60, "jti": uuid.uuid4().hex}, stack.secrets.jwt_private.read_text(),
                         algorithm="RS256")
    refused = {"none": ({}, "not_authenticated"), "garbled": ({"Authorization": "Bearer x.y.z"}, "token_not_valid"),
               "forged": ({"Authorization": f"Bearer {mint(stack, key=foreign)}"}, "token_not_valid"),
               "expired": ({"Authorization": f"Bearer {expired}"}, "token_not_valid")}
    before = branch_requests(stack)
    for name, (headers, code) in refused.items():
        for _ in range(3):  # the first decision and the ones nginx keeps
            answer = http.get(f"{gateway}/api/branches/", headers=headers, timeout=10)
            assert answer.status_code == 401, (name, answer.text)
            assert answer.headers["Content-Type"] == "application/json"
            assert answer.json()["code"] == code, name
            assert answer.json()["detail"], name
            assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert branch_requests(stack) == before
    # the count does move for a request let through
    assert http.get(f"{gateway}/api/branches/", headers={"Authorization": f"Bearer {mint(stack)}"},
                    timeout=10).status_code == 200
    assert branch_requests(stack) == before + 1


def test_unknown_api_paths_and_the_edge_check_itself_are_json_404s(gateway, http, admin):
    for path in ("/api/unknown/", "/api/internal/x/", "/__edge/auth"):
        answer = http.get(f"{gateway}{path}", headers=admin, timeout=10)
        assert (answer.status_code, answer.json()) == (404, {"detail": "Not found.", "code": "not_found"}), path


def test_a_token_stops_passing_when_it_expires_even_though_nginx_keeps_the_decision(gateway, http, stack):
    leeway = 5  # sis_common.conf.simple_jwt: the services take a token this long past its exp
    now = int(time.time())
    token = jwt.encode({"token_type": "access", "user_id": 1, "role": "admin", "branches": [], "iat": now,
                        "exp": now + 2, "jti": uuid.uuid4().hex}, stack.secrets.jwt_private.read_text(),
                       algorithm="RS256")
    headers = {"Authorization": f"Bearer {token}"}
    assert http.get(f"{gateway}/api/branches/", headers=headers, timeout=10).status_code == 200
    while True:
        answer = http.get(f"{gateway}/api/branches/", headers=headers, timeout=10)
        if answer.status_code == 401:
            break
        assert answer.status_code == 200
        assert time.time() < now + 2 + leeway + 0.5, "an expired token still passes the gateway"
        time.sleep(0.2)
    assert answer.json()["detail"] == "Token is expired."


def restart_gateway_app(stack):
    # supervisorctl waits as long as the stop takes (gunicorn's graceful timeout); the RPC call gives up first
    supervisor.ctl(stack, "restart", "app-gateway")


def test_a_token_the_gateway_stops_trusting_stops_passing_within_the_decision_bound(gateway, http, stack):
    """A leaked signing key replaced: the gateway's app verifies with the new key, nginx forgets the old yes."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    bound = 5  # EWTTO_EDGE_DECISION_SECONDS, the gateway's default
    new_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = stack.var / "rotated-public.pem"
    public.write_bytes(new_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo))
    env_file = stack.env_dir / "gateway.env"
    kept = env_file.read_text()
    old = {"Authorization": f"Bearer {mint(stack)}"}
    assert http.get(f"{gateway}/api/branches/", headers=old, timeout=10).status_code == 200
    try:
        env_file.write_text("\n".join(f"EWTTO_JWT_PUBLIC_KEY_FILE={public}" if line.startswith(
            "EWTTO_JWT_PUBLIC_KEY_FILE=") else line for line in kept.splitlines()) + "\n")
        restart_gateway_app(stack)
        signer = new_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()).decode()
        trusted_new = {"Authorization": f"Bearer {mint(stack, key=signer)}"}
        app = f"http://127.0.0.1:{stack.app_port('gateway')}/__edge/auth"
        deadline = time.monotonic() + 60
        while getattr(wait_answering(app, trusted_new, timeout=60), "status_code", None) != 204:
            assert time.monotonic() < deadline, "the gateway did not come back with the new key"
            time.sleep(0.2)
        # the app verifies with the new key now; nginx may still hold a yes for the old token
        restarted = time.monotonic()
        while (answer := http.get(f"{gateway}/api/branches/", headers=old, timeout=10)).status_code == 200:
            assert time.monotonic() - restarted < bound + 0.5, "the old token passed longer than the bound"
            time.sleep(0.2)
        assert answer.status_code == 401
    finally:
        env_file.write_text(kept)
        restart_gateway_app(stack)
    assert getattr(wait_answering(f"{gateway}/api/branches/", old), "status_code", None) == 200


def assert_unavailable(answer, service: str):
    assert answer.status_code == 503, answer.text
    assert answer.json() == {"detail": answer.json()["detail"], "code": "service_unavailable", "service": service}
    assert answer.headers["Retry-After"] == "1"


def test_stopped_service_app_is_a_json_503_within_a_second_and_the_others_keep_answering(gateway, http, stack, admin):
    supervisor.stop_program(stack, "app-ventas")
    try:
        for _ in range(3):
            started = time.monotonic()
            assert_unavailable(http.get(f"{gateway}/api/sales/", headers=admin, timeout=10), "ventas")
            assert time.monotonic() - started < 1
        assert http.get(f"{gateway}/api/inventory/products/", headers=admin, timeout=10).status_code == 200
        health = http.get(f"{gateway}/health", timeout=10).json()
        assert health["status"] == "degraded"
        assert health["services"]["ventas"]["status"] == "down"
        assert health["services"]["inventario"]["db"]["primary"]
    finally:
        supervisor.start_program(stack, "app-ventas")
    assert getattr(wait_answering(f"{gateway}/api/sales/", admin), "status_code", None) == 200
    assert wait_healthy(stack, timeout=90)["status"] == "ok"


def test_stopped_service_nginx_is_a_json_503_within_a_second_and_comes_back_after_restart(gateway, http, stack, admin):
    supervisor.stop_program(stack, "nginx-ventas")
    try:
        for _ in range(5):
            started = time.monotonic()
            assert_unavailable(http.get(f"{gateway}/api/sales/", headers=admin, timeout=10), "ventas")
            assert time.monotonic() - started < 1
        assert http.get(f"{gateway}/api/branches/", headers=admin, timeout=10).status_code == 200
        assert http.get(f"{gateway}/api/auth/health/", timeout=10).status_code == 200
    finally:
        supervisor.start_program(stack, "nginx-ventas")
    assert getattr(wait_answering(f"{gateway}/api/sales/", admin), "status_code", None) == 200
    assert wait_healthy(stack, timeout=90)["status"] == "ok"


def test_hung_service_is_a_json_504_after_its_timeout_while_the_other_routes_answer(gateway, stack, admin):
    import os
    import signal
    import threading

    timeout = 15  # deploy/stack.toml: the gateway's read_timeout
    pid = next(p["pid"] for p in supervisor.processes(stack) if p["name"] == "nginx-ventas")
    waited = {}

    def stuck():
        started = time.monotonic()
        waited["answer"] = requests.get(f"{gateway}/api/sales/", headers=admin, timeout=30)
        waited["seconds"] = time.monotonic() - started

    os.kill(pid, signal.SIGSTOP)  # the sidecar takes connections into its backlog and never answers
    try:
        thread = threading.Thread(target=stuck)
        thread.start()
        for _ in range(5):
            started = time.monotonic()
            assert requests.get(f"{gateway}/api/branches/", headers=admin, timeout=10).status_code == 200
            assert time.monotonic() - started < 1
        thread.join(timeout=30)
    finally:
        os.kill(pid, signal.SIGCONT)
    answer = waited["answer"]
    assert answer.status_code == 504, answer.text
    assert answer.json() == {"detail": answer.json()["detail"], "code": "upstream_timeout", "service": "ventas"}
    assert timeout <= waited["seconds"] < timeout + 2
    assert getattr(wait_answering(f"{gateway}/api/sales/", admin), "status_code", None) == 200


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
