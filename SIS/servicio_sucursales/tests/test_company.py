"""The company settings: defaults, admin-only changes, bounds refused with nothing stored, the internal answer."""
import pytest
from rest_framework.test import APIClient

from sis_common.testing.internal import caller_credentials

pytestmark = pytest.mark.django_db

URL = "/api/branches/company/"
DEFAULTS = {
    "name": "E-WTTO", "legal_name": "", "tax_id": "", "currency": "PEN", "prices_include_tax": True,
    "default_tax_rate": "0.1800", "return_days": 30, "discount_limits": {"cashier": "5.00", "manager": "50.00"},
    "cash_out_limit": "200.00",
}


@pytest.fixture
def internal():
    client = APIClient()
    client.credentials(**caller_credentials("ventas"))
    return client


def test_defaults_before_anyone_saves(client_for):
    for role in ("admin", "manager", "cashier", "warehouse", "auditor"):
        response = client_for(role, branches=[1]).get(URL)
        assert response.status_code == 200, role
        assert response.json() == DEFAULTS


def test_admin_changes_some_fields_and_keeps_the_rest(admin_client):
    response = admin_client.patch(URL, {"name": "Bodega Sol", "tax_id": "20123456789", "default_tax_rate": "0.1",
                                        "discount_limits": {"cashier": "10"}, "cash_out_limit": "350.5"},
                                  format="json")
    assert response.status_code == 200, response.content
    expected = {**DEFAULTS, "name": "Bodega Sol", "tax_id": "20123456789", "default_tax_rate": "0.1000",
                "discount_limits": {"cashier": "10.00", "manager": "50.00"}, "cash_out_limit": "350.50"}
    assert response.json() == expected
    assert admin_client.get(URL).json() == expected
    again = admin_client.patch(URL, {"prices_include_tax": False, "currency": "USD", "return_days": 0,
                                     "discount_limits": {"manager": "100", "cashier": "0"}}, format="json")
    assert again.json() == {**expected, "prices_include_tax": False, "currency": "USD", "return_days": 0,
                            "discount_limits": {"cashier": "0.00", "manager": "100.00"}}


@pytest.mark.parametrize("role", ["manager", "cashier", "warehouse", "auditor"])
def test_only_admin_changes(client_for, admin_client, role):
    response = client_for(role, branches=[1]).patch(URL, {"name": "Nope"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"]
    assert admin_client.get(URL).json()["name"] == DEFAULTS["name"]


@pytest.mark.parametrize("body, field", [
    ({"default_tax_rate": "1.01"}, "default_tax_rate"),
    ({"default_tax_rate": "-0.1"}, "default_tax_rate"),
    ({"default_tax_rate": "0.18001"}, "default_tax_rate"),
    ({"default_tax_rate": 0.18}, "default_tax_rate"),
    ({"discount_limits": {"cashier": "100.01"}}, "discount_limits"),
    ({"discount_limits": {"manager": "-1"}}, "discount_limits"),
    ({"discount_limits": "5"}, "discount_limits"),
    ({"currency": "pen"}, "currency"),
    ({"currency": "SOLES"}, "currency"),
    ({"return_days": 3651}, "return_days"),
    ({"return_days": -1}, "return_days"),
    ({"cash_out_limit": "-5"}, "cash_out_limit"),
    ({"prices_include_tax": "maybe"}, "prices_include_tax"),
    ({"name": ""}, "name"),
])
def test_bad_settings_are_400_and_nothing_is_stored(admin_client, body, field):
    response = admin_client.patch(URL, {"name": "Changed?", **body}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    assert admin_client.get(URL).json() == DEFAULTS


def test_cashier_limit_above_manager_is_refused(admin_client):
    response = admin_client.patch(URL, {"name": "Changed?", "discount_limits": {"cashier": "60"}}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "discount_limits_inverted"
    assert "discount_limits" in response.json()["fields"]
    lowered = admin_client.patch(URL, {"discount_limits": {"manager": "4.99"}}, format="json")
    assert lowered.status_code == 400
    assert admin_client.get(URL).json() == DEFAULTS
    # cashier equal to manager is allowed
    assert admin_client.patch(URL, {"discount_limits": {"cashier": "50"}}, format="json").status_code == 200


def test_internal_answers_the_same_settings(admin_client, internal):
    assert internal.get("/internal/company/").json() == DEFAULTS
    admin_client.patch(URL, {"legal_name": "Bodega Sol S.A.C."}, format="json")
    assert internal.get("/internal/company/").json() == {**DEFAULTS, "legal_name": "Bodega Sol S.A.C."}


def test_internal_callers_are_inventario_and_ventas(admin_client):
    assert APIClient().get("/internal/company/").status_code == 401
    assert admin_client.get("/internal/company/").status_code == 401
    for caller in ("inventario", "ventas"):
        assert APIClient().get("/internal/company/", **caller_credentials(caller)).status_code == 200, caller
    for caller in ("auth", "gateway"):
        assert APIClient().get("/internal/company/", **caller_credentials(caller)).status_code == 403, caller


def test_company_is_not_taken_for_a_branch(admin_client):
    assert admin_client.delete(URL).status_code == 405
    assert admin_client.get("/api/branches/?page_size=1").status_code == 200


def test_token_required(client):
    assert client.get(URL).status_code == 401
    assert client.patch(URL, {"name": "x"}, format="json").status_code == 401
