"""servicio_compras through the gateway of a whole stack: suppliers and what they sell, checked with inventory."""
import uuid

from sales_support import api, create_branch, create_product

from sis_common.tax_ids import ruc_check_digit


def new_supplier(admin) -> dict:
    first_ten = f"20{uuid.uuid4().int % 10**8:08d}"
    body = {"code": f"PRV-{uuid.uuid4().hex[:8]}", "name": "Distribuidora", "tax_id": first_ten +
            str(ruc_check_digit(first_ten)), "payment_terms_days": 30}
    return admin.ok("post", "/api/purchasing/suppliers/", body, expect=201)


def test_a_supplier_sells_products_inventory_knows_one_preferred_supplier_each(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    purchaser = api(stack, role="purchaser", branches=[branch], user_id=731)
    product = create_product(admin, "5.00", 0, branch)
    first, second = new_supplier(purchaser), new_supplier(purchaser)
    url = "/api/purchasing/suppliers/{}/products/"
    row = purchaser.ok("post", url.format(first["id"]), {"product": product, "unit_cost": "3.20", "pack_size": 12,
                                                         "supplier_sku": "ACE-1L", "lead_time_days": 3,
                                                         "is_preferred": True}, expect=201)
    assert (row["supplier"], row["product"], row["unit_cost"], row["pack_size"]) == (first["id"], product, "3.20", 12)
    again = purchaser.post(url.format(first["id"]), {"product": product, "unit_cost": "3.00"})
    assert again.status_code == 400 and again.json()["code"] == "supplier_product_exists"
    purchaser.ok("post", url.format(second["id"]), {"product": product, "unit_cost": "3.10", "is_preferred": True},
                 expect=201)
    # the newer preferred supplier is the only one
    assert purchaser.ok("get", url.format(first["id"]))["results"][0]["is_preferred"] is False
    assert purchaser.ok("get", url.format(second["id"]))["results"][0]["is_preferred"] is True
    unknown = purchaser.post(url.format(first["id"]), {"product": 2**62, "unit_cost": "1.00"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_product"
    retired = create_product(admin, "1.00", 0, branch)
    admin.ok("patch", f"/api/inventory/products/{retired}/", {"is_active": False})
    inactive = purchaser.post(url.format(first["id"]), {"product": retired, "unit_cost": "1.00"})
    assert inactive.status_code == 400 and inactive.json()["code"] == "inactive_product"
    assert len(purchaser.ok("get", url.format(first["id"]))["results"]) == 1


def test_an_invalid_or_duplicate_tax_id_is_refused_through_the_gateway(stack):
    admin = api(stack, role="admin")
    taken = new_supplier(admin)
    for tax_id, field in (("20100070971", "tax_id"), (taken["tax_id"], "tax_id")):
        answer = admin.post("/api/purchasing/suppliers/", {"code": f"X{uuid.uuid4().hex[:8]}", "name": "x",
                                                           "tax_id": tax_id})
        assert answer.status_code == 400 and field in answer.json(), answer.text
    cashier = api(stack, role="cashier", branches=[1])
    assert cashier.get("/api/purchasing/suppliers/").status_code == 200
    assert cashier.post("/api/purchasing/suppliers/", {"code": "C1", "name": "x", "tax_id": "20100070970"}
                        ).status_code == 403
