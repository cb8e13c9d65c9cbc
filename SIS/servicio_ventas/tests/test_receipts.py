"""The receipt of a sale: company and branch as sucursales has them now, the sale's lines, taxes and payments."""
import pytest
from django.core.cache import cache

from sales import pricing
from sis_common.sucursales_client import cache_key

from .builders import make_sale

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
BRANCH = 461
SHOP = {"id": BRANCH, "code": "LIM01", "name": "Lima Centro", "address": "Av. Abancay 123", "city": "Lima",
        "phone": "01-4261234", "is_active": True, "receipt_header": "¡Bienvenido!", "receipt_footer": "Gracias"}


@pytest.fixture
def shop():
    cache.set(cache_key(BRANCH), SHOP, 3600)
    yield SHOP
    cache.delete(cache_key(BRANCH))


def test_a_receipt_shows_the_company_the_branch_the_cashier_and_every_figure(client_for, known_company, shop):
    known_company(name="Bodega SAC", legal_name="Bodega Sociedad Anonima Cerrada", tax_id="20123456789")
    # tax included: 23.60 + 5.00 = 28.60, 10 % off the sale is 2.86, spread 2.36 / 0.50
    sale = make_sale(branch_id=BRANCH, user_id=9, code="LIM01", lines=[(1, "11.80", 2), (2, "5.00", 1)],
                     prices_include_tax=True, discount=pricing.Discount(percent=pricing.HUNDRED / 10),
                     payments=[("cash", "30.00")], cashier="rosa")
    receipt = client_for("cashier", [BRANCH]).get(f"/api/sales/{sale.pk}/receipt/").json()
    assert receipt["company"] == {"name": "Bodega SAC", "legal_name": "Bodega Sociedad Anonima Cerrada",
                                  "tax_id": "20123456789"}
    assert receipt["branch"] == {"code": "LIM01", "name": "Lima Centro", "address": "Av. Abancay 123",
                                 "receipt_header": "¡Bienvenido!", "receipt_footer": "Gracias"}
    assert receipt["cashier"] == {"username": "rosa", "full_name": "Rosa"}
    assert (receipt["number"], receipt["document_number"]) == ("LIM01-000001", "B461-00000001")
    # 21.24 -> 18.00 + 3.24; 4.50 -> 3.81 + 0.69
    assert receipt["lines"] == [
        {"name": "Product 1", "quantity": 2, "unit_price": "11.80", "discount": "2.36", "total": "21.24"},
        {"name": "Product 2", "quantity": 1, "unit_price": "5.00", "discount": "0.50", "total": "4.50"}]
    assert receipt["tax_breakdown"] == [{"rate": "0.1800", "net": "21.81", "tax": "3.93"}]
    assert (receipt["subtotal"], receipt["discount_total"], receipt["tax"], receipt["total"]) == (
        "21.81", "2.86", "3.93", "25.74")
    assert receipt["payments"] == [{"method": "cash", "amount": "30.00"}] and receipt["change"] == "4.26"
    assert receipt["prices_include_tax"] is True


def test_only_completed_sales_within_the_branch_scope_have_a_receipt(client_for, shop):
    done = make_sale(branch_id=BRANCH, user_id=9, lines=[(1, "1.00", 1)])
    pending = make_sale(branch_id=BRANCH, user_id=9, lines=[(1, "1.00", 1)], complete=False)
    assert client_for("cashier", [BRANCH]).get(f"/api/sales/{done.pk}/receipt/").status_code == 200
    refused = client_for("cashier", [BRANCH]).get(f"/api/sales/{pending.pk}/receipt/")
    assert refused.status_code == 409 and refused.json()["code"] == "sale_not_completed"
    assert client_for("cashier", [BRANCH + 1]).get(f"/api/sales/{done.pk}/receipt/").status_code == 404
    assert client_for("auditor").get(f"/api/sales/{done.pk}/receipt/").status_code == 200
    assert client_for("warehouse", [BRANCH]).get(f"/api/sales/{done.pk}/receipt/").status_code == 403
    assert client_for("admin").get("/api/sales/999999999/receipt/").status_code == 404


def test_without_sucursales_the_receipt_keeps_the_branch_code(client_for, monkeypatch):
    monkeypatch.delenv("EWTTO_SUCURSALES_URL", raising=False)
    sale = make_sale(branch_id=BRANCH + 5, user_id=9, code="OLD05", lines=[(1, "1.00", 1)])
    receipt = client_for("admin").get(f"/api/sales/{sale.pk}/receipt/").json()
    assert receipt["branch"] == {"code": "OLD05", "name": "", "address": "", "receipt_header": "",
                                 "receipt_footer": ""}
