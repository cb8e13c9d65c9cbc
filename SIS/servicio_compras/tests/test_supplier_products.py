"""Supplier products within this project: bad values are 400s before inventory is asked; inventory
unreachable is a 503 with nothing stored (the accepted rows are covered through a whole stack in
tests/system/test_purchasing.py, where inventory answers)."""
import pytest

from suppliers.models import SupplierProduct

from .builders import supplier_body

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def products_url(supplier_id) -> str:
    return f"/api/purchasing/suppliers/{supplier_id}/products/"


@pytest.fixture
def supplier(client_for):
    return client_for("admin").post("/api/purchasing/suppliers/", supplier_body(), format="json").json()


def test_inventory_unreachable_is_a_503_and_stores_nothing(client_for, supplier, monkeypatch):
    monkeypatch.setenv("EWTTO_INVENTARIO_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    answer = client_for("purchaser", branches=[1]).post(products_url(supplier["id"]),
                                                        {"product": 7, "unit_cost": "3.50"}, format="json")
    assert answer.status_code == 503, answer.content
    assert (answer.json()["code"], answer.json()["service"]) == ("service_unavailable", "inventario")
    assert not SupplierProduct.objects.using("default").filter(supplier_id=supplier["id"]).exists()


@pytest.mark.parametrize("body, field", [
    ({"unit_cost": "1.00"}, "product"),
    ({"product": 0, "unit_cost": "1.00"}, "product"),
    ({"product": 2**63, "unit_cost": "1.00"}, "product"),
    ({"product": 5}, "unit_cost"),
    ({"product": 5, "unit_cost": "-1"}, "unit_cost"),
    ({"product": 5, "unit_cost": "1.005"}, "unit_cost"),
    ({"product": 5, "unit_cost": "1.00", "pack_size": 0}, "pack_size"),
    ({"product": 5, "unit_cost": "1.00", "lead_time_days": -1}, "lead_time_days"),
])
def test_bad_values_are_400s_before_inventory_is_asked(client_for, supplier, monkeypatch, body, field):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)  # were it asked, this would be a 503
    answer = client_for("admin").post(products_url(supplier["id"]), body, format="json")
    assert answer.status_code == 400 and field in answer.json(), answer.content


def test_the_list_is_the_suppliers_own_and_others_may_not_add(client_for, supplier):
    other = client_for("admin").post("/api/purchasing/suppliers/", supplier_body(), format="json").json()
    SupplierProduct.objects.create(supplier_id=supplier["id"], product=11, unit_cost="2.00", pack_size=12)
    SupplierProduct.objects.create(supplier_id=other["id"], product=11, unit_cost="2.10")
    listed = client_for("warehouse", branches=[1]).get(products_url(supplier["id"]))
    assert listed.status_code == 200
    (row,) = listed.json()["results"]
    assert row == {"id": row["id"], "supplier": supplier["id"], "product": 11, "supplier_sku": "", "unit_cost": "2.00",
                   "pack_size": 12, "lead_time_days": 0, "is_preferred": False}
    for role in ("cashier", "manager", "auditor"):
        refused = client_for(role, branches=[1]).post(products_url(supplier["id"]), {"product": 12, "unit_cost": "1"},
                                                      format="json")
        assert refused.status_code == 403, role
    assert client_for("admin").get(products_url(999999999)).status_code == 404
    assert client_for("admin").post(products_url(999999999), {"product": 12, "unit_cost": "1"},
                                    format="json").status_code == 404


def test_an_id_past_what_inventory_takes_is_an_unknown_product_without_asking(client_for, supplier, monkeypatch):
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)  # were it asked, this would be a 503
    answer = client_for("admin").post(products_url(supplier["id"]), {"product": 2**63 - 1, "unit_cost": "1.00"},
                                      format="json")
    assert answer.status_code == 400 and answer.json()["code"] == "unknown_product"
