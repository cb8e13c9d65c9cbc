"""Which public paths reach which service, and which never leave the gateway."""
import pytest
from django.urls import Resolver404, resolve

from edge.routes import API_TO_SERVICE


@pytest.mark.parametrize("api, service", [("auth", "auth"), ("branches", "sucursales"),
                                          ("inventory", "inventario"), ("sales", "ventas")])
def test_each_api_prefix_routes_to_its_service(api, service):
    match = resolve(f"/api/{api}/anything/1/")
    assert match.func.__name__ == "api_proxy"
    assert API_TO_SERVICE[match.kwargs["api"]] == service


@pytest.mark.parametrize("service", ["auth", "sucursales", "inventario", "ventas"])
def test_each_service_admin_and_static_are_routed(service):
    assert resolve(f"/admin/{service}/").kwargs["service"] == service
    assert resolve(f"/static/{service}/admin/css/base.css").kwargs["service"] == service


@pytest.mark.parametrize("path", ["/internal/inventory/stock-moves/", "/api/unknown/", "/api/internal/x/",
                                  "/admin/gateway/", "/health/"])
def test_internal_and_unknown_paths_are_never_routed(client, path):
    with pytest.raises(Resolver404):
        resolve(path)
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_health_of_dead_services_is_down_and_names_each(client, dead_upstreams):
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert set(body["services"]) == set(API_TO_SERVICE.values())
    for service in body["services"].values():
        assert service["status"] == "down"
        assert service["circuit"] == "closed"


def test_the_path_goes_on_encoded_as_the_client_sent_it():
    from django.test import RequestFactory

    from edge.proxy import wire_path

    sent = RequestFactory().get("/api/auth/users/%23x%2F..%2F/", RAW_URI="/api/auth/users/%23x%2F..%2F/?a=1")
    assert wire_path(sent, sent.path) == "/api/auth/users/%23x%2F..%2F/"
    without_raw = RequestFactory().get("/api/auth/users/%23x%3Fy/")  # the test client: no RAW_URI
    assert wire_path(without_raw, without_raw.path) == "/api/auth/users/%23x%3Fy/"
