"""GET /internal/branches/{id}/: the other services' branch check, behind the internal token."""
import pytest
from rest_framework.test import APIClient

from sis_common.testing.internal import caller_credentials

pytestmark = pytest.mark.django_db


@pytest.fixture
def internal():
    client = APIClient()
    client.credentials(**caller_credentials("inventario"))
    return client


def test_internal_answers_code_active_flag_and_receipt_facts(admin_client, internal):
    branch = admin_client.post("/api/branches/", {"code": "INT01", "name": "Interna", "address": "Av. 1",
                                                  "receipt_footer": "Gracias"}, format="json").json()
    body = internal.get(f"/internal/branches/{branch['id']}/").json()
    assert body == {"id": branch["id"], "code": "INT01", "name": "Interna", "is_active": True, "address": "Av. 1",
                    "city": "", "phone": "", "receipt_header": "", "receipt_footer": "Gracias"}
    admin_client.delete(f"/api/branches/{branch['id']}/")
    assert internal.get(f"/internal/branches/{branch['id']}/").json()["is_active"] is False


def test_internal_unknown_branch_is_404(internal):
    response = internal.get("/internal/branches/987654/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_internal_needs_a_caller_that_sucursales_answers(admin_client):
    branch = admin_client.post("/api/branches/", {"code": "INT02", "name": "Interna"}, format="json").json()
    url = f"/internal/branches/{branch['id']}/"
    assert APIClient().get(url).status_code == 401
    # a user token is not an internal credential
    assert admin_client.get(url).status_code == 401
    assert APIClient().get(url, HTTP_X_INTERNAL_CALLER="ventas", HTTP_X_INTERNAL_TOKEN="wrong").status_code == 401
    # the gateway's genuine credential is for /health only
    assert APIClient().get(url, **caller_credentials("gateway")).status_code == 403
    for caller in ("auth", "inventario", "ventas"):
        assert APIClient().get(url, **caller_credentials(caller)).status_code == 200, caller


def test_out_of_range_ids_are_404(admin_client, internal):
    huge = "9" * 30
    assert internal.get(f"/internal/branches/{huge}/").status_code == 404
    assert admin_client.get(f"/api/branches/{huge}/").status_code == 404


def test_internal_by_code_answers_the_branch_whatever_the_case_and_404_for_an_unknown_code(admin_client, internal):
    branch = admin_client.post("/api/branches/", {"code": "COD01", "name": "Por código"}, format="json").json()
    for code in ("COD01", "cod01"):
        body = internal.get("/internal/branches/", {"code": code}).json()
        assert (body["id"], body["code"], body["is_active"]) == (branch["id"], "COD01", True), code
    missing = internal.get("/internal/branches/", {"code": "NOPE99"})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    for bad in ({}, {"code": ""}, {"code": "X" * 21}):
        assert internal.get("/internal/branches/", bad).status_code == 400, bad
    assert APIClient().get("/internal/branches/", {"code": "COD01"}).status_code == 401
    assert APIClient().get("/internal/branches/", {"code": "COD01"}, **caller_credentials("gateway")).status_code == 403
