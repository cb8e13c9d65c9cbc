"""sis_common.sucursales_client.company_get against this service over HTTP: the answer, its cache, the fallback."""
import pytest
from django.core.cache import cache

from sis_common import sucursales_client
from sis_common.auth import internal
from sis_common.clients import ServiceUnavailable
from sis_common.testing.internal import caller_credentials

CLOSED = "http://127.0.0.1:9"  # discard port: nothing listens there


@pytest.fixture
def as_ventas(live_server, monkeypatch):
    """This process calls its own live server as ventas does, with ventas' genuine credential."""
    headers = caller_credentials("ventas")
    monkeypatch.setattr(internal, "caller_headers", lambda receiver: {
        internal.CALLER_HEADER: headers["HTTP_X_INTERNAL_CALLER"], internal.TOKEN_HEADER: headers["HTTP_X_INTERNAL_TOKEN"]})
    monkeypatch.setenv("EWTTO_SUCURSALES_URL", live_server.url)
    sucursales_client.company_forget()
    yield monkeypatch
    sucursales_client.company_forget()


@pytest.mark.django_db(transaction=True)
def test_company_get_answers_the_settings_and_caches_them(as_ventas, admin_client):
    first = sucursales_client.company_get()
    assert first["default_tax_rate"] == "0.1800"
    assert first["discount_limits"] == {"cashier": "5.00", "manager": "50.00"}
    admin_client.patch("/api/branches/company/", {"default_tax_rate": "0.1000"}, format="json")
    # within CACHE_SECONDS the cached answer stands ...
    assert sucursales_client.company_get()["default_tax_rate"] == "0.1800"
    # ... and once it expires the new setting is read
    cache.delete(sucursales_client.COMPANY_CACHE_KEY)
    assert sucursales_client.company_get()["default_tax_rate"] == "0.1000"


@pytest.mark.django_db(transaction=True)
def test_unreachable_service_answers_the_last_known_settings(as_ventas, admin_client):
    admin_client.patch("/api/branches/company/", {"name": "Bodega Sol"}, format="json")
    assert sucursales_client.company_get()["name"] == "Bodega Sol"
    as_ventas.setenv("EWTTO_SUCURSALES_URL", CLOSED)
    cache.delete(sucursales_client.COMPANY_CACHE_KEY)
    assert sucursales_client.company_get()["name"] == "Bodega Sol"


@pytest.mark.django_db(transaction=True)
def test_unreachable_service_without_a_last_answer_is_503(as_ventas):
    as_ventas.setenv("EWTTO_SUCURSALES_URL", CLOSED)
    with pytest.raises(ServiceUnavailable) as refused:
        sucursales_client.company_get()
    assert refused.value.status_code == 503


@pytest.mark.django_db(transaction=True)
def test_a_refusal_is_not_taken_for_settings(as_ventas, monkeypatch):
    # a caller sucursales does not answer on this endpoint gets 403: that is no company, and none is cached
    monkeypatch.setattr(internal, "caller_headers", lambda receiver: {})
    with pytest.raises(ServiceUnavailable):
        sucursales_client.company_get()
    assert cache.get(sucursales_client.COMPANY_CACHE_KEY) is None
