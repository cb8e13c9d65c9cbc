"""The whole stack through the gateway: every service healthy with its primary and replica."""


def test_gateway_health_shows_every_service_with_primary_and_replica(gateway, http, stack):
    body = http.get(f"{gateway}/health", timeout=10).json()
    assert body["status"] == "ok"
    assert set(body["services"]) == {"auth", "sucursales", "inventario", "ventas"}
    for name, service in body["services"].items():
        primary, replica = (str(n.node) for n in stack.local_nodes(name))
        assert service["db"]["primary"] == primary
        assert service["db"]["replica"] == replica
        assert service["db"]["replica_lag_seconds"] == 0


def test_each_service_health_through_gateway(gateway, http):
    for api in ("auth", "branches", "inventory", "sales"):
        answer = http.get(f"{gateway}/api/{api}/health/", timeout=10)
        assert answer.status_code == 200
        assert answer.json()["status"] == "ok"


def test_api_needs_a_token_and_answers_json(gateway, http):
    answer = http.get(f"{gateway}/api/branches/", timeout=10)
    assert answer.status_code == 401
    assert answer.json()["code"] == "not_authenticated"


def test_request_id_round_trip(gateway, http):
    answer = http.get(f"{gateway}/api/sales/health/", headers={"X-Request-ID": "trace-123"}, timeout=10)
    assert answer.headers["X-Request-ID"] == "trace-123"
