"""The public branches API: admin-only writes, search and filters, scope of non-admins, soft delete."""
import itertools

import pytest

pytestmark = pytest.mark.django_db
_codes = (f"B{i:05d}" for i in itertools.count())


def make_branch(client, **extra) -> dict:
    body = {"code": next(_codes), "name": "Centro", "address": "Av. 1", "city": "Lima", "phone": "1", **extra}
    response = client.post("/api/branches/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_admin_creates_branch_with_every_field(admin_client):
    created = make_branch(admin_client, name="Miraflores", city="Lima")
    assert set(created) == {"id", "code", "name", "address", "city", "phone", "is_active",
                            "receipt_header", "receipt_footer"}
    assert created["is_active"] is True
    assert created["receipt_header"] == created["receipt_footer"] == ""
    assert admin_client.get(f"/api/branches/{created['id']}/").json() == created


def test_duplicate_code_is_400_with_field_message(admin_client):
    first = make_branch(admin_client)
    again = admin_client.post("/api/branches/", {"code": first["code"], "name": "Otra"}, format="json")
    assert again.status_code == 400
    body = again.json()
    # the machine code stays stable although the field itself is called `code`; a duplicate is well formed
    assert body["code"] == "duplicate"
    assert body["fields"]["code"] == ["A branch with this code exists."]


def test_receipt_texts_are_kept_up_to_500_characters(admin_client):
    branch = make_branch(admin_client, receipt_header="RUC 20123456789\nAv. 1", receipt_footer="Gracias")
    assert (branch["receipt_header"], branch["receipt_footer"]) == ("RUC 20123456789\nAv. 1", "Gracias")
    changed = admin_client.patch(f"/api/branches/{branch['id']}/", {"receipt_footer": "x" * 500}, format="json")
    assert changed.json()["receipt_footer"] == "x" * 500
    too_long = admin_client.patch(f"/api/branches/{branch['id']}/", {"receipt_header": "x" * 501}, format="json")
    assert too_long.status_code == 400
    assert "receipt_header" in too_long.json()["fields"]
    assert admin_client.get(f"/api/branches/{branch['id']}/").json()["receipt_header"] == "RUC 20123456789\nAv. 1"


@pytest.mark.parametrize("body, field", [
    ({"name": "Sin código"}, "code"),
    ({"code": "bad code!", "name": "x"}, "code"),
    ({"code": "OK1"}, "name"),
    ({"code": ["X"], "name": "x"}, "code"),
])
def test_invalid_branch_is_400_naming_the_field(admin_client, body, field):
    response = admin_client.post("/api/branches/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]


@pytest.mark.parametrize("role", ["manager", "cashier", "warehouse", "auditor"])
def test_only_admin_writes(client_for, admin_client, role):
    branch = make_branch(admin_client)
    client = client_for(role, branches=[branch["id"]])
    assert client.post("/api/branches/", {"code": "NOPE", "name": "x"}, format="json").status_code == 403
    assert client.patch(f"/api/branches/{branch['id']}/", {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/branches/{branch['id']}/").status_code == 403
    assert client.get(f"/api/branches/{branch['id']}/").status_code == 200


def test_search_and_filters(admin_client):
    sur = make_branch(admin_client, name="Sucursal Surquillo", city="Arequipa")
    make_branch(admin_client, name="Sucursal Callao", city="Callao")
    closed = make_branch(admin_client, name="Surco Cerrada", city="Arequipa")
    admin_client.delete(f"/api/branches/{closed['id']}/")

    def ids(query):
        response = admin_client.get(f"/api/branches/{query}")
        assert response.status_code == 200
        return {b["id"] for b in response.json()["results"]}

    assert ids("?search=surquillo") == {sur["id"]}
    assert ids(f"?search={sur['code']}") == {sur["id"]}
    assert ids("?city=arequipa") == {sur["id"], closed["id"]}
    assert ids("?city=arequipa&is_active=true") == {sur["id"]}
    assert ids("?city=arequipa&is_active=false") == {closed["id"]}
    assert admin_client.get("/api/branches/?is_active=maybe").status_code == 400


def test_list_is_paginated(admin_client):
    make_branch(admin_client)
    body = admin_client.get("/api/branches/?page_size=1").json()
    assert {"results", "next", "previous"} <= set(body)
    assert len(body["results"]) == 1


def test_delete_deactivates_and_keeps_the_branch(admin_client):
    branch = make_branch(admin_client)
    assert admin_client.delete(f"/api/branches/{branch['id']}/").status_code == 204
    kept = admin_client.get(f"/api/branches/{branch['id']}/")
    assert kept.status_code == 200
    assert kept.json()["is_active"] is False
    reopened = admin_client.patch(f"/api/branches/{branch['id']}/", {"is_active": True}, format="json")
    assert reopened.json()["is_active"] is True


def test_non_admin_sees_only_its_branches(client_for, admin_client):
    mine, other = make_branch(admin_client), make_branch(admin_client)
    manager = client_for("manager", branches=[mine["id"]])
    listed = {b["id"] for b in manager.get("/api/branches/?page_size=200").json()["results"]}
    assert listed == {mine["id"]}
    denied = manager.get(f"/api/branches/{other['id']}/")
    assert denied.status_code == 403
    assert denied.json()["code"] == "branch_forbidden"
    auditor = client_for("auditor")
    assert {mine["id"], other["id"]} <= {b["id"] for b in auditor.get("/api/branches/?page_size=200").json()["results"]}


def test_unknown_branch_is_json_404(admin_client):
    response = admin_client.get("/api/branches/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_token_required(client):
    assert client.get("/api/branches/").status_code == 401
