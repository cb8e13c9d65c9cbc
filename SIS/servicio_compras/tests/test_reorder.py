"""Reorder suggestions within this project: which supplier and how much (from rows shaped like inventory's), who
may ask, bad queries before anyone is asked, inventory unreachable a 503 (the whole path, with inventory
answering, is tests/system/test_reorder.py)."""
from decimal import Decimal

import pytest

from reorder import selectors
from sis_common.inventario_client import StockRow
from orders.models import PurchaseOrder
from suppliers.models import Supplier, SupplierProduct

from .builders import new_code, new_ruc

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
URL = "/api/purchasing/reorder/"


def supplier(code=None, **extra) -> Supplier:
    return Supplier.objects.create(code=code or new_code(), name=extra.pop("name", "Distribuidora"),
                                   tax_id=new_ruc(), **extra)


def row(product, quantity, minimum, maximum=None, sku=None, active=True) -> StockRow:
    return StockRow(product, sku or f"SKU-{product}", f"Product {product}", active, quantity, minimum, maximum)


def test_the_preferred_active_supplier_else_the_cheapest(monkeypatch):
    a, b, retired = supplier("A"), supplier("B"), supplier("Z", is_active=False)
    SupplierProduct.objects.create(supplier=a, product=1, unit_cost="5.00")
    SupplierProduct.objects.create(supplier=b, product=1, unit_cost="6.00", is_preferred=True)
    SupplierProduct.objects.create(supplier=a, product=2, unit_cost="5.00")
    SupplierProduct.objects.create(supplier=b, product=2, unit_cost="4.99")
    SupplierProduct.objects.create(supplier=retired, product=3, unit_cost="1.00", is_preferred=True)
    SupplierProduct.objects.create(supplier=a, product=3, unit_cost="2.00")
    SupplierProduct.objects.create(supplier=retired, product=4, unit_cost="1.00", is_preferred=True)
    chosen = selectors.offers_for(products=[1, 2, 3, 4, 5])
    assert {p: o.supplier.code for p, o in chosen.items()} == {1: "B", 2: "B", 3: "A"}


@pytest.mark.parametrize("quantity, minimum, maximum, pack, needed, suggested", [
    (2, 5, 40, 12, 38, 48),   # up to the maximum, whole packs
    (2, 5, 40, 1, 38, 38),
    (0, 0, 36, 12, 36, 36),   # exactly whole packs
    (1, 6, None, 4, 5, 8),    # no maximum: up to the minimum
    (5, 5, 5, 6, 0, 0),       # at the desired level: nothing
])
def test_quantity_to_the_desired_level_rounded_up_to_packs(quantity, minimum, maximum, pack, needed, suggested):
    offer = SupplierProduct(supplier=supplier(), product=1, unit_cost=Decimal("2.50"), pack_size=pack)
    suggestion = selectors.Suggestion(row(1, quantity, minimum, maximum), offer)
    assert (suggestion.needed, suggestion.suggested) == (needed, suggested)
    assert selectors.Suggestion(row(1, quantity, minimum, maximum), None).suggested == needed  # no supplier: no packs


def test_groups_by_supplier_code_with_the_unsupplied_last():
    a, b = supplier("A", name="Alfa"), supplier("B", name="Beta")
    SupplierProduct.objects.create(supplier=a, product=1, unit_cost="2.50", pack_size=10, supplier_sku="AL-1",
                                   lead_time_days=3)
    SupplierProduct.objects.create(supplier=b, product=2, unit_cost="1.00")
    SupplierProduct.objects.create(supplier=a, product=3, unit_cost="0.10", pack_size=6)
    pa, pb, pa2 = (selectors.offers_for(products=[1, 2, 3])[p] for p in (1, 2, 3))
    groups = selectors.reorder_groups([
        selectors.Suggestion(row(9, 0, 2, sku="C"), None),
        selectors.Suggestion(row(2, 1, 4, 10, sku="B"), pb),
        selectors.Suggestion(row(3, 0, 1, 5, sku="Z"), pa2),
        selectors.Suggestion(row(1, 3, 5, 20, sku="A"), pa),
    ])
    assert [g["supplier"] and g["supplier"]["code"] for g in groups] == ["A", "B", None]
    assert groups[0]["supplier"] == {"id": a.pk, "code": "A", "name": "Alfa"}
    first = groups[0]["lines"][0]
    assert first == {"product": 1, "sku": "A", "name": "Product 1", "on_hand": 3, "min_quantity": 5,
                     "max_quantity": 20, "target": 20, "needed": 17, "suggested": 20, "pack_size": 10,
                     "unit_cost": Decimal("2.50"), "supplier_sku": "AL-1", "lead_time_days": 3,
                     "total": Decimal("50.00")}
    assert [line["sku"] for line in groups[0]["lines"]] == ["A", "Z"]
    assert groups[0]["total"] == Decimal("50.60")  # 20 × 2.50 + 6 × 0.10
    assert groups[2] == {"supplier": None, "total": None, "lines": [{
        "product": 9, "sku": "C", "name": "Product 9", "on_hand": 0, "min_quantity": 2, "max_quantity": None,
        "target": 2, "needed": 2, "suggested": 2, "pack_size": 1, "unit_cost": None, "supplier_sku": "",
        "lead_time_days": None, "total": None}]}


@pytest.mark.parametrize("role, branches, status", [
    ("cashier", [1], 403), ("warehouse", [1], 403), ("manager", [2], 403), ("purchaser", [2], 403),
])
def test_who_may_not_see_a_branch_list(client_for, role, branches, status, monkeypatch):
    monkeypatch.setenv("EWTTO_INVENTARIO_URL", "http://127.0.0.1:9")  # were it asked, this would be a 503
    answer = client_for(role, branches=branches).get(f"{URL}?branch=1")
    assert answer.status_code == status, answer.content


@pytest.mark.parametrize("query", ["", "?branch=", "?branch=0", "?branch=x", f"?branch={2**63}", "?branch=1&branch=2"])
def test_bad_queries_are_400_before_anyone_is_asked(client_for, query, monkeypatch):
    monkeypatch.setenv("EWTTO_INVENTARIO_URL", "http://127.0.0.1:9")
    answer = client_for("admin").get(f"{URL}{query}")
    assert answer.status_code == 400 and "branch" in answer.json(), answer.content


def test_inventory_unreachable_is_a_503(client_for, known_branches, monkeypatch):
    monkeypatch.setenv("EWTTO_INVENTARIO_URL", "http://127.0.0.1:9")
    for role in ("admin", "auditor", "purchaser", "manager"):
        answer = client_for(role, branches=[1]).get(f"{URL}?branch=1")
        assert answer.status_code == 503, (role, answer.content)
        assert (answer.json()["code"], answer.json()["service"]) == ("service_unavailable", "inventario")


def _orders_of(lines_by_supplier):
    return [sorted((line["product"], line["quantity"], line["unit_cost"]) for line in lines)
            for lines in lines_by_supplier]


def test_a_selection_becomes_one_draft_order_per_supplier(client_for, known_branches):
    a, b = supplier("A"), supplier("B")
    SupplierProduct.objects.create(supplier=a, product=11, unit_cost="2.50", pack_size=12)
    SupplierProduct.objects.create(supplier=a, product=12, unit_cost="1.00")
    SupplierProduct.objects.create(supplier=b, product=11, unit_cost="2.40")
    purchaser = client_for("purchaser", branches=[1], user_id=52)
    body = {"branch": 1, "lines": [{"product": 11, "quantity": 48, "supplier": b.pk},
                                   {"product": 12, "quantity": 5, "supplier": a.pk},
                                   {"product": 11, "quantity": 24, "supplier": a.pk}]}
    created = purchaser.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="reorder-1")
    assert created.status_code == 201, created.content
    orders = created.json()["orders"]
    assert [(o["supplier"], o["branch"], o["status"], o["created_by"]) for o in orders] == [
        (a.pk, 1, "draft", 52), (b.pk, 1, "draft", 52)]
    assert _orders_of(o["lines"] for o in orders) == [[(11, 24, "2.50"), (12, 5, "1.00")], [(11, 48, "2.40")]]
    assert [o["total"] for o in orders] == ["65.00", "115.20"]
    assert PurchaseOrder.objects.count() == 2
    again = purchaser.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="reorder-1")
    assert again.status_code == 201 and again.json() == created.json() and again["Idempotent-Replayed"] == "true"
    assert PurchaseOrder.objects.count() == 2
    other = purchaser.post(URL, {**body, "lines": body["lines"][:1]}, format="json", HTTP_IDEMPOTENCY_KEY="reorder-1")
    assert other.status_code == 422 and PurchaseOrder.objects.count() == 2
    fetched = purchaser.get(f"/api/purchasing/orders/{orders[0]['id']}/")
    assert fetched.status_code == 200 and fetched.json() == orders[0]


def test_one_refused_supplier_stores_no_order(client_for, known_branches):
    a, b, retired = supplier("A"), supplier("B"), supplier("R", is_active=False)
    SupplierProduct.objects.create(supplier=a, product=11, unit_cost="2.50")
    SupplierProduct.objects.create(supplier=retired, product=12, unit_cost="2.50")
    admin = client_for("admin")
    cases = [
        ([{"product": 11, "quantity": 1, "supplier": a.pk}, {"product": 12, "quantity": 1, "supplier": b.pk}],
         "product_not_supplied"),
        ([{"product": 11, "quantity": 1, "supplier": a.pk}, {"product": 12, "quantity": 1, "supplier": retired.pk}],
         "inactive_supplier"),
        ([{"product": 11, "quantity": 1, "supplier": a.pk}, {"product": 11, "quantity": 1, "supplier": 10**12}],
         "unknown_supplier"),
    ]
    for i, (lines, code) in enumerate(cases):
        refused = admin.post(URL, {"branch": 1, "lines": lines}, format="json", HTTP_IDEMPOTENCY_KEY=f"bad-{i}")
        assert refused.status_code == 400 and refused.json()["code"] == code, refused.content
        # the refusal is the key's answer, and still nothing is stored
        assert admin.post(URL, {"branch": 1, "lines": lines}, format="json",
                          HTTP_IDEMPOTENCY_KEY=f"bad-{i}").json()["code"] == code
    assert not PurchaseOrder.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"lines": [{"product": 1, "quantity": 1, "supplier": 1}]}, "branch"),
    ({"branch": 1}, "lines"),
    ({"branch": 1, "lines": []}, "lines"),
    ({"branch": 1, "lines": [{"product": 1, "quantity": 0, "supplier": 1}]}, "lines"),
    ({"branch": 1, "lines": [{"product": 1, "quantity": 10**9 + 1, "supplier": 1}]}, "lines"),
    ({"branch": 1, "lines": [{"product": 1, "quantity": "3", "supplier": 1}]}, "lines"),
    ({"branch": 1, "lines": [{"product": 1, "quantity": 3}]}, "lines"),
    ({"branch": 1, "lines": [{"product": 1, "quantity": 3, "supplier": 1}] * 2}, "lines"),
    ({"branch": 1, "lines": [{"product": 1, "quantity": 1, "supplier": 1}] * 501}, "lines"),
])
def test_bad_selections_are_400_and_store_nothing(client_for, known_branches, body, field):
    answer = client_for("admin").post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert answer.status_code == 400 and field in answer.json(), answer.content
    assert not PurchaseOrder.objects.exists()


def test_who_may_order_and_for_which_branch(client_for, known_branches):
    a = supplier("A")
    SupplierProduct.objects.create(supplier=a, product=11, unit_cost="2.50")
    body = {"branch": 1, "lines": [{"product": 11, "quantity": 1, "supplier": a.pk}]}
    for role, branches in (("auditor", []), ("cashier", [1]), ("warehouse", [1]), ("purchaser", [2]),
                           ("manager", [2])):
        refused = client_for(role, branches=branches).post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=role)
        assert refused.status_code == 403, (role, refused.content)
    assert client_for("manager", branches=[1]).post(URL, body, format="json").json()["code"] == \
        "idempotency_key_required"
    assert not PurchaseOrder.objects.exists()
    ordered = client_for("manager", branches=[1]).post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="m")
    assert ordered.status_code == 201, ordered.content


def test_a_dead_sucursales_is_a_503_not_the_keys_answer(client_for, known_branches, monkeypatch):
    from django.core.cache import cache

    from sis_common.sucursales_client import cache_key

    a = supplier("A")
    SupplierProduct.objects.create(supplier=a, product=11, unit_cost="2.50")
    body = {"branch": 1, "lines": [{"product": 11, "quantity": 1, "supplier": a.pk}]}
    admin = client_for("admin")
    known = cache.get(cache_key(1))
    cache.delete(cache_key(1))
    monkeypatch.setenv("EWTTO_SUCURSALES_URL", "http://127.0.0.1:9")
    dead = admin.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="once")
    assert dead.status_code == 503 and dead.json()["service"] == "sucursales", dead.content
    assert not PurchaseOrder.objects.exists()
    cache.set(cache_key(1), known, 60)  # sucursales answers again
    assert admin.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="once").status_code == 201
    assert PurchaseOrder.objects.count() == 1
