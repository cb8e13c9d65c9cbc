"""GET /internal/customers/{id}/: ventas' check of a sale's buyer, behind ventas' internal credential."""
import pytest
from rest_framework.test import APIClient

from customers.models import Customer
from sis_common.testing.internal import caller_credentials

from .builders import customer_body, new_ruc

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def ventas():
    client = APIClient()
    client.credentials(**caller_credentials("ventas"))
    return client


def test_ventas_reads_the_buyer_from_the_primary(admin_client, ventas):
    ruc = new_ruc()
    customer = admin_client.post("/api/customers/", customer_body(doc_type="ruc", doc_number=ruc,
                                                                  name="Textiles Gamarra S.A.", address="Jr. Gamarra 1"),
                                 format="json").json()
    url = f"/internal/customers/{customer['id']}/"
    assert ventas.get(url).json() == {"id": customer["id"], "doc_type": "ruc", "doc_number": ruc,
                                      "name": "Textiles Gamarra S.A.", "address": "Jr. Gamarra 1", "is_active": True}
    # a change is seen at once, whatever the replica has applied
    Customer.objects.using("default").filter(pk=customer["id"]).update(is_active=False)
    assert ventas.get(url).json()["is_active"] is False


def test_an_unknown_customer_is_404(ventas):
    for url in ("/internal/customers/987654321/", f"/internal/customers/{'9' * 30}/", "/internal/customers/0/"):
        answer = ventas.get(url)
        assert answer.status_code == 404, url
    assert ventas.get("/internal/customers/987654321/").json()["code"] == "not_found"


def test_only_ventas_may_call_it(admin_client):
    customer = admin_client.post("/api/customers/", customer_body(), format="json").json()
    url = f"/internal/customers/{customer['id']}/"
    assert APIClient().get(url).status_code == 401
    # a user token is not an internal credential
    assert admin_client.get(url).status_code == 401
    assert APIClient().get(url, HTTP_X_INTERNAL_CALLER="ventas", HTTP_X_INTERNAL_TOKEN="wrong").status_code == 401
    # the gateway's genuine credential is for /health only; others are not named for this endpoint
    for caller in ("gateway", "inventario", "compras", "auth"):
        assert APIClient().get(url, **caller_credentials(caller)).status_code in (401, 403), caller
    assert APIClient().get(url, **caller_credentials("ventas")).status_code == 200
