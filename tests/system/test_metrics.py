"""/metrics on the running stack: summed over gunicorn workers, served on loopback only, never through the gateway."""
import requests
from prometheus_client.parser import text_string_to_metric_families

from ops_support import Caller
from sales_support import create_branch, create_product, api, new_key


def scrape(url: str, **headers) -> dict:
    answer = requests.get(f"{url}/metrics", headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(answer.text) for s in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_service_counts_are_summed_over_every_worker(stack):
    sidecar = stack.url("sucursales")
    admin = Caller(stack, role="admin")
    before = scrape(sidecar)
    for _ in range(20):  # through the gateway, spread over the service's gunicorn workers
        assert admin.call("GET", "/api/branches/").status_code == 200
    after = scrape(sidecar)
    labels = {"route": "api/branches/", "method": "GET", "status": "200"}
    assert value(after, "ewtto_http_requests_total", **labels) - value(before, "ewtto_http_requests_total", **labels) == 20
    assert value(after, "ewtto_db_pair_status", status="ok") == 1
    nodes = [n.node for n in stack.local_nodes("sucursales")]
    for node in nodes:
        assert value(after, "ewtto_db_node_up", node=str(node)) == 1
    assert sorted(value(after, "ewtto_db_node_role", node=str(n), role="primary") for n in nodes) == [0, 1]
    assert value(after, "ewtto_watchdog_up") == 1  # the stack's watchdog keeps its state file fresh


def test_idempotent_replays_are_counted_by_the_service_that_replays(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    product = create_product(admin, "1.00", 0, branch)
    before = value(scrape(stack.url("inventario")), "ewtto_idempotent_replays_total")
    key, body = new_key("metrics"), {"branch": branch, "product": product, "kind": "receipt", "quantity": 5}
    for expected in (201, 201, 201):
        assert admin.post("/api/inventory/movements/", body, key=key).status_code == expected
    assert value(scrape(stack.url("inventario")), "ewtto_idempotent_replays_total") - before == 2


def test_metrics_are_not_public(stack):
    # the gateway does not route a service's /metrics ...
    assert requests.get(f"{stack.url()}/api/branches/metrics", timeout=10).status_code in (401, 404)
    # ... and a service refuses anything relayed from outside loopback
    relayed = requests.get(f"{stack.url('sucursales')}/metrics", headers={"X-Forwarded-For": "203.0.113.5"},
                           timeout=10)
    assert relayed.status_code == 403 and relayed.json()["code"] == "metrics_forbidden"
    # the gateway's own /metrics: its requests by route, for a scraper on loopback only
    gateway = scrape(stack.url())
    assert any(name == "ewtto_http_requests_total" for name, _ in gateway)
    # a client outside loopback, as the gateway app sees one behind its nginx (which writes the chain)
    public = requests.get(f"http://127.0.0.1:{stack.app_port('gateway')}/metrics",
                          headers={"X-Forwarded-For": "198.51.100.4"}, timeout=10)
    assert public.status_code == 403
