"""servicio_compras' reorder list through the gateway of a whole stack: inventory's stock rows below their minimum,
the suppliers compras knows, quantities to the desired level in whole packs."""
import uuid
from datetime import datetime, timezone

import requests
from sales_support import (api, assert_ledger_matches_stock, create_branch, create_product, new_key,
                           replicas_caught_up, stock_of)

from sis_common.tax_ids import ruc_check_digit

SUPPLIER_PRODUCTS = "/api/purchasing/suppliers/{}/products/"


def new_supplier(admin, code: str) -> dict:
    first_ten = f"20{uuid.uuid4().int % 10**8:08d}"
    body = {"code": f"{code}-{uuid.uuid4().hex[:6]}", "name": f"Proveedor {code}",
            "tax_id": first_ten + str(ruc_check_digit(first_ten))}
    return admin.ok("post", "/api/purchasing/suppliers/", body, expect=201)


def levels(admin, branch, product, **values) -> None:
    admin.ok("patch", f"/api/inventory/stock/{branch}/{product}/", values)


def test_the_reorder_list_of_a_branch_grouped_by_supplier(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    elsewhere = create_branch(admin)["id"]
    oil = create_product(admin, "9.00", 2, branch, name="Aceite 1 L")
    rice = create_product(admin, "4.00", 1, branch, name="Arroz 1 kg")
    plenty = create_product(admin, "1.00", 10, branch)
    orphan = create_product(admin, "2.00", 0, branch, name="Sin proveedor")
    retired = create_product(admin, "2.00", 0, branch)
    levels(admin, branch, oil, min_quantity=5, max_quantity=40)
    levels(admin, branch, rice, min_quantity=6)
    levels(admin, branch, plenty, min_quantity=3, max_quantity=20)
    levels(admin, branch, orphan, min_quantity=2)
    levels(admin, branch, retired, min_quantity=2)
    purchaser = api(stack, role="purchaser", branches=[branch], user_id=741)
    alfa, beta = new_supplier(purchaser, "ALFA"), new_supplier(purchaser, "BETA")
    purchaser.ok("post", SUPPLIER_PRODUCTS.format(alfa["id"]), {"product": oil, "unit_cost": "7.50", "pack_size": 12,
                                                               "supplier_sku": "AC-1", "lead_time_days": 4,
                                                               "is_preferred": True}, expect=201)
    purchaser.ok("post", SUPPLIER_PRODUCTS.format(beta["id"]), {"product": oil, "unit_cost": "7.00"}, expect=201)
    purchaser.ok("post", SUPPLIER_PRODUCTS.format(beta["id"]), {"product": rice, "unit_cost": "3.10", "pack_size": 4},
                 expect=201)
    purchaser.ok("post", SUPPLIER_PRODUCTS.format(beta["id"]), {"product": retired, "unit_cost": "1.00"}, expect=201)
    admin.ok("patch", f"/api/inventory/products/{retired}/", {"is_active": False})
    replicas_caught_up(stack, ("inventario", "compras"))

    answer = purchaser.ok("get", "/api/purchasing/reorder/", branch=branch)
    assert (answer["branch"], answer["truncated"]) == (branch, False)
    groups = answer["groups"]
    assert [g["supplier"] and g["supplier"]["id"] for g in groups] == [alfa["id"], beta["id"], None]
    assert groups[0]["supplier"] == {"id": alfa["id"], "code": alfa["code"], "name": alfa["name"]}
    ((oil_line,), (rice_line,), (orphan_line,)) = (g["lines"] for g in groups)
    # 2 on hand, up to 40: 38 needed, three packs of 12 from the preferred supplier (not the cheaper one)
    assert {k: oil_line[k] for k in ("product", "name", "on_hand", "min_quantity", "max_quantity", "target", "needed",
                                     "suggested", "pack_size", "unit_cost", "supplier_sku", "lead_time_days",
                                     "total")} == {
        "product": oil, "name": "Aceite 1 L", "on_hand": 2, "min_quantity": 5, "max_quantity": 40, "target": 40,
        "needed": 38, "suggested": 48, "pack_size": 12, "unit_cost": "7.50", "supplier_sku": "AC-1",
        "lead_time_days": 4, "total": "360.00"}
    # no maximum: up to the minimum, 5 needed, two packs of 4
    assert (rice_line["product"], rice_line["needed"], rice_line["suggested"], groups[1]["total"]) == (
        rice, 5, 8, "24.80")
    assert (orphan_line["product"], orphan_line["suggested"], orphan_line["unit_cost"], groups[2]["total"]) == (
        orphan, 2, None, None)

    assert api(stack, role="auditor").ok("get", "/api/purchasing/reorder/", branch=branch) == answer
    assert api(stack, role="manager", branches=[branch]).ok("get", "/api/purchasing/reorder/", branch=branch) == answer
    assert api(stack, role="admin").ok("get", "/api/purchasing/reorder/", branch=elsewhere)["groups"] == []
    for role, branches in (("purchaser", [elsewhere]), ("manager", [elsewhere]), ("warehouse", [branch]),
                           ("cashier", [branch])):
        refused = api(stack, role=role, branches=branches).get("/api/purchasing/reorder/", branch=branch)
        assert refused.status_code == 403, (role, refused.text)
    unknown = admin.get("/api/purchasing/reorder/", branch=2**62)
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_branch"


def test_the_reorder_list_becomes_two_orders_received_in_two_deliveries_each_and_reported(stack):
    """The issue's path: a branch's list becomes one draft per supplier, each is confirmed and received in two
    deliveries, the stock shows every unit once under the order's reference, the list empties and the reports
    count it."""
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    oil = create_product(admin, "9.00", 2, branch, name="Aceite")
    rice = create_product(admin, "4.00", 1, branch, name="Arroz")
    levels(admin, branch, oil, min_quantity=5, max_quantity=26)
    levels(admin, branch, rice, min_quantity=6, max_quantity=9)
    purchaser = api(stack, role="purchaser", branches=[branch], user_id=751)
    alfa, beta = new_supplier(purchaser, "ALFA"), new_supplier(purchaser, "BETA")
    purchaser.ok("post", SUPPLIER_PRODUCTS.format(alfa["id"]), {"product": oil, "unit_cost": "7.50", "pack_size": 12,
                                                               "lead_time_days": 7}, expect=201)
    purchaser.ok("post", SUPPLIER_PRODUCTS.format(beta["id"]), {"product": rice, "unit_cost": "3.00", "pack_size": 4,
                                                               "lead_time_days": 7}, expect=201)
    replicas_caught_up(stack, ("inventario", "compras"))
    groups = purchaser.ok("get", "/api/purchasing/reorder/", branch=branch)["groups"]
    selection = [{"product": line["product"], "quantity": line["suggested"], "supplier": group["supplier"]["id"]}
                 for group in groups for line in group["lines"]]
    assert sorted((s["product"], s["quantity"]) for s in selection) == [(oil, 24), (rice, 8)]
    body = {"branch": branch, "lines": selection}
    key = new_key("reorder")
    orders = purchaser.ok("post", "/api/purchasing/reorder/", body, key=key, expect=201)["orders"]
    assert [(o["supplier"], o["status"], o["total"]) for o in orders] == [
        (alfa["id"], "draft", "180.00"), (beta["id"], "draft", "24.00")]
    assert purchaser.ok("post", "/api/purchasing/reorder/", body, key=key, expect=201)["orders"] == orders
    warehouse = api(stack, role="warehouse", branches=[branch], user_id=752)
    for order in orders:
        purchaser.ok("post", f"/api/purchasing/orders/{order['id']}/confirm/", {})
        (line,) = order["lines"]
        first, second = line["quantity"] // 2, line["quantity"] - line["quantity"] // 2
        for note, quantity in (("GR-1", first), ("GR-2", second)):
            warehouse.ok("post", f"/api/purchasing/orders/{order['id']}/receive/",
                         {"delivery_note": note, "lines": [{"product": line["product"], "quantity": quantity}]},
                         key=new_key("rc"), expect=201)
    assert (stock_of(admin, branch, oil), stock_of(admin, branch, rice)) == (26, 9)
    for order in orders:
        (line,) = order["lines"]
        rows = [r for r in assert_ledger_matches_stock(admin, branch, line["product"])
                if r["reference"].startswith(f"{order['number']}/")]
        assert sorted((r["reference"], r["quantity"]) for r in rows) == [
            (f"{order['number']}/GR-1", line["quantity"] // 2),
            (f"{order['number']}/GR-2", line["quantity"] - line["quantity"] // 2)]
    replicas_caught_up(stack, ("inventario", "compras"))
    assert purchaser.ok("get", "/api/purchasing/reorder/", branch=branch)["groups"] == []

    today = datetime.now(timezone.utc).date().isoformat()  # the service's days are UTC
    received = purchaser.ok("get", "/api/purchasing/reports/received/", date_from=today, date_to=today,
                            branch=branch, group_by="supplier")
    assert [(r["supplier"], r["receipts"], r["units"], r["value"]) for r in received["results"]] == [
        (alfa["id"], 2, 24, "180.00"), (beta["id"], 2, 8, "24.00")]
    assert received["total"]["value"] == "204.00"
    lead = purchaser.ok("get", "/api/purchasing/reports/lead-time/", date_from=today, date_to=today, branch=branch)
    assert [(r["supplier"], r["orders"], r["on_time"], r["on_time_rate"]) for r in lead["results"]] == [
        (alfa["id"], 1, 1, "1.0000"), (beta["id"], 1, 1, "1.0000")]
    assert purchaser.ok("get", "/api/purchasing/reports/open-orders/", branch=branch)["results"] == []
    csv_file = requests.get(f"{stack.url()}/api/purchasing/reports/received/",
                            params={"date_from": today, "date_to": today, "branch": branch, "format": "csv"},
                            headers={"Authorization": f"Bearer {purchaser.bearer}"}, timeout=20)
    assert csv_file.status_code == 200 and csv_file.headers["Content-Type"].startswith("text/csv")
    assert csv_file.content.decode("utf-8-sig").splitlines()[1].endswith(",4,2,32,204.00")
