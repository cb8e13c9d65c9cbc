"""The whole stack through the gateway: every service healthy with its primary and replica."""
import pytest


def test_gateway_health_shows_every_service_with_primary_and_replica(gateway, http, stack):
    body = http.get(f"{gateway}/health", timeout=10).json()
    assert body["status"] == "ok"
    assert set(body["services"]) == {"auth", "sucursales", "inventario", "ventas", "compras", "clientes"}
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


# --- what an outsider sees -----------------------------------------------------------------------------
# From this machine every client is on loopback (and gets the details); an outside client is what the
# gateway app sees behind its nginx: a chain naming the outside address. The public nginx writes that
# chain itself, so a client cannot send one (test_auth_edge shows a sent X-Forwarded-For is replaced).

def outside(stack) -> tuple[str, dict]:
    return f"http://127.0.0.1:{stack.app_port('gateway')}", {"X-Forwarded-For": "198.51.100.9"}


def connections_made(stack) -> int:
    from sis_common.mariadb.nodes import session

    total = 0
    for spec in stack.services:
        pair = stack.pair_spec(spec.slug)
        for node in pair.nodes:
            with session(node, pair.admin) as cur:
                cur.execute("SHOW GLOBAL STATUS LIKE 'Connections'")
                total += int(cur.fetchone()["Value"])
    return total


def test_an_outsider_gets_status_only_without_node_addresses_or_gtids(stack, http):
    base, headers = outside(stack)
    body = http.get(f"{base}/health", headers=headers, timeout=10).json()
    assert body == {"status": "ok", "services": {name: {"status": "ok"} for name in body["services"]}}
    assert set(body["services"]) == {"auth", "sucursales", "inventario", "ventas", "compras", "clientes"}
    # the gateway's nginx carries /api/<api>/health/ to the service's own nginx, which adds its peer
    # to the chain as here
    for spec in stack.services:
        answer = http.get(f"{stack.url(spec.slug)}/api/{spec.api}/health/", headers=headers, timeout=10).json()
        assert set(answer) == {"status", "service"}, spec.api


def test_an_outsider_polling_health_opens_no_database_connections(stack, http):
    base, headers = outside(stack)
    http.get(f"{base}/health", headers=headers, timeout=10)
    before = connections_made(stack) + 8  # our own eight sessions
    for _ in range(30):
        assert http.get(f"{base}/health", headers=headers, timeout=10).status_code == 200
    # each call used to probe all eight nodes with new connections (240 here); now a cached answer
    # is refreshed at most every two seconds (and the watchdog's own probes run meanwhile)
    assert connections_made(stack) - before < 60


def test_health_floods_from_one_address_are_rate_limited(gateway):
    from test_auth_edge import address, flood

    answers = flood(f"{gateway}/health", address(), 60, method="GET")
    limited = [a for a in answers if a.status_code == 429]
    assert len(limited) >= 10 and all(a.json()["code"] == "rate_limited" for a in limited)
    assert all(a.status_code in (200, 429) for a in answers)


def test_the_stack_serves_with_dml_only_accounts_and_migrated_with_the_schema_owner(stack, gateway, http):
    import MySQLdb

    from sis_common.mariadb import replication
    from sis_common.mariadb.nodes import connect

    assert http.get(f"{gateway}/health", timeout=10).json()["status"] == "ok"  # migrated, serving
    for spec in stack.services:
        pair = stack.pair_spec(spec.slug)
        assert stack.env_for(spec.slug)["EWTTO_DB_USER"] == pair.app.user != pair.migrator.user
        primary, _ = replication.current_roles(pair)
        conn = connect(primary, pair.app, database=pair.database)
        try:
            with conn.cursor() as cur, pytest.raises(MySQLdb.OperationalError) as refused:
                cur.execute("CREATE TABLE stolen (id INT)")
            assert refused.value.args[0] == 1142, spec.slug
        finally:
            conn.close()
