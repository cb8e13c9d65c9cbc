"""sis_common.sucursales_client.branch_by_code against this service over HTTP: found, unknown, inactive, cached."""
import pytest
from django.core.cache import cache

from sis_common import sucursales_client
from sis_common.auth import internal
from sis_common.clients import ServiceUnavailable
from sis_common.testing.internal import caller_credentials

CLOSED = "http://127.0.0.1:9"  # discard port: nothing listens there


@pytest.fixture
def as_inventario(live_server, monkeypatch):
    """This process calls its own live server as inventario does, with inventario's genuine credential."""
    headers = caller_credentials("inventario")
    monkeypatch.setattr(internal, "caller_headers", lambda receiver: {
        internal.CALLER_HEADER: headers["HTTP_X_INTERNAL_CALLER"], internal.TOKEN_HEADER: headers["HTTP_X_INTERNAL_TOKEN"]})
    monkeypatch.setenv("EWTTO_SUCURSALES_URL", live_server.url)
    cache.clear()
    yield monkeypatch
    cache.clear()


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_branch_by_code_answers_the_branch_and_caches_it_by_code_and_id(as_inventario, admin_client):
    branch = admin_client.post("/api/branches/", {"code": "BYC01", "name": "Norte"}, format="json").json()
    found = sucursales_client.branch_by_code("byc01")
    assert (found["id"], found["code"], found["is_active"]) == (branch["id"], "BYC01", True)
    as_inventario.setenv("EWTTO_SUCURSALES_URL", CLOSED)
    # within CACHE_SECONDS the answer stands, by code and by id, without asking
    assert sucursales_client.branch_by_code("BYC01")["id"] == branch["id"]
    assert sucursales_client.branch_get(branch["id"])["code"] == "BYC01"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_unknown_and_inactive_codes_are_answered_and_never_cached(as_inventario, admin_client):
    assert sucursales_client.branch_by_code("BYC02") is None
    assert sucursales_client.branch_by_code("X" * 21) is None  # longer than any code: not even asked
    branch = admin_client.post("/api/branches/", {"code": "BYC02", "name": "Sur"}, format="json").json()
    assert sucursales_client.branch_by_code("BYC02")["id"] == branch["id"]  # the unknown answer was not kept
    cache.clear()
    admin_client.delete(f"/api/branches/{branch['id']}/")
    assert sucursales_client.branch_by_code("BYC02")["is_active"] is False
    admin_client.patch(f"/api/branches/{branch['id']}/", {"is_active": True}, format="json")
    assert sucursales_client.branch_by_code("BYC02")["is_active"] is True


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_unreachable_service_is_503(as_inventario):
    as_inventario.setenv("EWTTO_SUCURSALES_URL", CLOSED)
    with pytest.raises(ServiceUnavailable) as refused:
        sucursales_client.branch_by_code("SUC01")
    assert refused.value.status_code == 503
