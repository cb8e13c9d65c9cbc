"""Suppliers API: admins and purchasers write, others read; a duplicate code or tax id, or a bad RUC, stores nothing."""
import pytest
from rest_framework.test import APIClient

from suppliers.models import Supplier

from .builders import new_code, new_ruc, supplier_body

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
URL = "/api/purchasing/suppliers/"


def create(client, **extra):
    answer = client.post(URL, supplier_body(**extra), format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_purchaser_creates_reads_and_edits_a_supplier(client_for):
    purchaser = client_for("purchaser", branches=[1])
    body = supplier_body(email="ventas@dist.pe", phone="01 555 1234", address="Av. Argentina 100",
                         payment_terms_days=30)
    created = purchaser.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    supplier = created.json()
    assert {k: supplier[k] for k in body} == body and supplier["is_active"] is True
    assert set(supplier) == {"id", "code", "name", "tax_id", "email", "phone", "address", "payment_terms_days",
                             "is_active"}
    assert purchaser.get(f"{URL}{supplier['id']}/").json() == supplier
    edited = purchaser.patch(f"{URL}{supplier['id']}/", {"name": "Distribuidora Sur", "is_active": False},
                             format="json")
    assert edited.status_code == 200 and (edited.json()["name"], edited.json()["is_active"]) == \
        ("Distribuidora Sur", False)
    # the same code and tax id on itself is no duplicate
    assert purchaser.patch(f"{URL}{supplier['id']}/", {"code": supplier["code"], "tax_id": supplier["tax_id"]},
                           format="json").status_code == 200


def test_list_filters_by_search_and_activity(client_for):
    admin = client_for("admin")
    tag = new_code("Q")
    active = create(admin, name=f"Aceites {tag}")
    inactive = create(admin, name=f"Harinas {tag}", is_active=False)
    found = admin.get(f"{URL}?search={tag}&page_size=50").json()["results"]
    assert {s["id"] for s in found} == {active["id"], inactive["id"]}
    only_active = admin.get(f"{URL}?search={tag}&is_active=true").json()["results"]
    assert [s["id"] for s in only_active] == [active["id"]]
    by_ruc = admin.get(f"{URL}?search={inactive['tax_id']}").json()["results"]
    assert [s["id"] for s in by_ruc] == [inactive["id"]]


@pytest.mark.parametrize("tax_id, code", [
    ("20100070971", "check_digit"),  # a real RUC with its last digit changed
    ("2010007097", "invalid"), ("30100070970", "invalid"), ("", "blank"), (20100070970, "invalid"),
])
def test_an_invalid_tax_id_is_a_400_and_stores_nothing(client_for, tax_id, code):
    before = Supplier.objects.using("default").count()
    body = supplier_body(tax_id=tax_id)
    answer = client_for("admin").post(URL, body, format="json")
    assert answer.status_code == 400, answer.content
    assert "tax_id" in answer.json()  # a JSON number is no RUC string either
    assert Supplier.objects.using("default").count() == before


def test_a_duplicate_code_or_tax_id_is_refused(client_for):
    admin = client_for("admin")
    first = create(admin)
    for field, value in (("code", first["code"]), ("tax_id", first["tax_id"])):
        answer = admin.post(URL, supplier_body(**{field: value}), format="json")
        assert answer.status_code == 400 and field in answer.json(), answer.content
    other = create(admin)
    clash = admin.patch(f"{URL}{other['id']}/", {"code": first["code"]}, format="json")
    assert clash.status_code == 400 and "code" in clash.json()
    assert Supplier.objects.using("default").filter(code=first["code"]).count() == 1


@pytest.mark.parametrize("role", ["cashier", "warehouse", "manager", "auditor"])
def test_other_roles_read_but_may_not_write(client_for, role):
    supplier = create(client_for("admin"))
    client = client_for(role, branches=[1])
    assert client.get(f"{URL}{supplier['id']}/").status_code == 200
    refused = client.post(URL, supplier_body(), format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert client.patch(f"{URL}{supplier['id']}/", {"name": "x"}, format="json").status_code == 403
    assert APIClient().get(URL).status_code == 401


def test_bad_numbers_and_unknown_ids_are_4xx(client_for):
    admin = client_for("admin")
    for terms in (-1, 366, "x"):
        answer = admin.post(URL, supplier_body(payment_terms_days=terms), format="json")
        assert answer.status_code == 400 and "payment_terms_days" in answer.json()
    assert admin.get(f"{URL}999999999/").status_code == 404
    assert admin.get(f"{URL}99999999999999999999/").status_code == 404
    assert admin.delete(f"{URL}1/").status_code == 405
    assert new_ruc() != new_ruc()
