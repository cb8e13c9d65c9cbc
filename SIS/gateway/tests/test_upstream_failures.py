"""A dead, hung or flapping service gives a bounded JSON answer, and a dead one is not hammered."""
import json
import time

import pytest

from edge.breaker import breaker

from .conftest import HungServer, closed_port


def assert_json_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["code"] == code
    assert body["detail"]
    return body


def test_refused_connection_is_a_json_503_naming_the_service(api, dead_upstreams):
    body = assert_json_error(api.get("/api/sales/"), 503, "service_unavailable")
    assert body["service"] == "ventas"


def test_every_method_and_body_gets_the_503_too(api, dead_upstreams):
    response = api.post("/api/inventory/movements/", b'{"quantity": 1}', content_type="application/json")
    assert_json_error(response, 503, "service_unavailable")
    assert_json_error(api.delete("/api/branches/3/"), 503, "service_unavailable")


def test_hung_service_is_a_json_504_after_the_read_timeout(api, settings, hung_server):
    settings.EWTTO_UPSTREAMS = {"inventario": hung_server.url}
    settings.EWTTO_UPSTREAM_READ_TIMEOUT = 0.3
    body = assert_json_error(api.get("/api/inventory/products/"), 504, "upstream_timeout")
    assert body["service"] == "inventario"
    assert hung_server.accepted == 1


def test_a_dead_service_does_not_stop_the_others_answering(api, settings, hung_server):
    # ventas is dead; auth is reachable (here: hung, so it answers 504, proving the request went there)
    settings.EWTTO_UPSTREAMS = {"ventas": f"http://127.0.0.1:{closed_port()}", "auth": hung_server.url}
    settings.EWTTO_UPSTREAM_READ_TIMEOUT = 0.3
    for _ in range(5):
        assert_json_error(api.get("/api/sales/"), 503, "service_unavailable")
    assert_json_error(api.get("/api/auth/me/"), 504, "upstream_timeout")
    assert breaker("ventas").state == "open"
    assert breaker("auth").state == "closed"


def test_circuit_opens_after_consecutive_refusals_and_answers_without_connecting(api, settings):
    port = closed_port()
    settings.EWTTO_UPSTREAMS = {"ventas": f"http://127.0.0.1:{port}"}
    settings.EWTTO_BREAKER_THRESHOLD = 3
    settings.EWTTO_BREAKER_COOLDOWN = 60
    for _ in range(3):
        assert_json_error(api.get("/api/sales/"), 503, "service_unavailable")
    assert breaker("ventas").state == "open"
    revived = HungServer(port)  # the port answers again, but the circuit is open: nobody calls it
    try:
        for _ in range(5):
            assert_json_error(api.get("/api/sales/"), 503, "service_unavailable")
        assert revived.accepted == 0
    finally:
        revived.close()


def test_open_circuit_lets_one_probe_through_after_the_cool_down_and_closes(api, settings):
    port = closed_port()
    settings.EWTTO_UPSTREAMS = {"ventas": f"http://127.0.0.1:{port}"}
    settings.EWTTO_UPSTREAM_READ_TIMEOUT = 0.3
    settings.EWTTO_BREAKER_THRESHOLD = 2
    settings.EWTTO_BREAKER_COOLDOWN = 0.2
    for _ in range(2):
        api.get("/api/sales/")
    assert breaker("ventas").state == "open"
    revived = HungServer(port)
    try:
        time.sleep(0.3)  # past the cool-down: the next request is the probe
        assert_json_error(api.get("/api/sales/"), 504, "upstream_timeout")
        assert revived.accepted == 1
        assert breaker("ventas").state == "closed"
    finally:
        revived.close()


def test_failed_probe_opens_the_circuit_again(settings):
    circuit = breaker("ventas")
    circuit.cooldown = 0
    for _ in range(circuit.threshold):
        circuit.failed()
    assert circuit.allow()  # the probe
    assert not circuit.allow()  # only one at a time
    circuit.failed()
    assert circuit.state == "open"
    assert circuit.failures == circuit.threshold + 1


@pytest.mark.parametrize("status", [502, 503])
def test_non_json_unavailability_from_a_sidecar_is_turned_into_the_json_contract(status):
    import urllib3

    from edge.proxy import _response

    page = urllib3.HTTPResponse(body=b"<html>Bad Gateway</html>", status=status, headers={"Content-Type": "text/html"})
    response = _response("ventas", page)
    assert_json_error(response, 503, "service_unavailable")
    assert response["Retry-After"] == "1"
