"""The gateway's own paths, the stack file's routes, and paths that never leave the gateway."""
import pytest

from edge.routes import api_to_service


def test_the_apis_are_the_stack_files():
    assert api_to_service() == {"auth": "auth", "branches": "sucursales", "inventory": "inventario",
                                "sales": "ventas", "purchasing": "compras",
                                "customers": "clientes"}


@pytest.mark.parametrize("path", ["/internal/inventory/stock-moves/", "/api/unknown/", "/api/sales/",
                                  "/admin/gateway/", "/health/", "/api/docs/schema/unknown/"])
def test_internal_unknown_and_proxied_paths_are_not_the_apps(client, path):
    # the APIs are nginx's routes: the app itself never proxies one
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_health_of_dead_services_is_down_and_names_each(client, dead_upstreams):
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert set(body["services"]) == set(api_to_service().values())
    for service in body["services"].values():
        assert service["status"] == "down"
