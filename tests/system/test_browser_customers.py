"""Customers at the point of sale of issue 22 in headless Chromium: an invoice, a receipt paid part with points.

The scene (branch, a product, a cashier with an open till, a customer holding points) is set up through the
public API as the bootstrap admin; what the cashier does goes through the browser only: the company is
created at the till from its RUC, the invoice issued to it, then a walk-in person found by DNI pays part of a
receipt with points.
"""
from __future__ import annotations

import re
import time
import uuid
from decimal import Decimal

import pytest
from playwright import sync_api as playwright

from browser_support import launched_chromium, open_tab, Api, go, shot, sign_in
from sis_common.tax_ids import ruc_check_digit

PRICE = "59.00"  # with 18 % tax included


def new_ruc() -> str:
    first_ten = f"20{uuid.uuid4().int % 10**8:08d}"
    return first_ten + str(ruc_check_digit(first_ten))


def new_dni() -> str:
    return f"{uuid.uuid4().int % 10**8:08d}"


@pytest.fixture(scope="module")
def customer_shop(stack, gateway):
    """A branch with a product in stock, a cashier with an open till, and a person who holds points."""
    admin = Api(gateway, "admin", stack.secrets.admin_password()[0])
    tag = uuid.uuid4().hex[:6].upper()
    branch = admin.call("POST", "/api/branches/", 201, json={"code": f"C{tag}", "name": "San Isidro", "city": "Lima",
                                                             "address": f"Av. Arequipa {tag[:3]}"})
    product = admin.call("POST", "/api/inventory/products/", 201, json={
        "sku": f"OIL-{tag}", "barcode": f"775{tag}01", "name": f"Aceite {tag}", "price": PRICE, "tax_rate": "0.1800"})
    admin.call("POST", "/api/inventory/movements/", 201, headers={"Idempotency-Key": uuid.uuid4().hex},
               json={"branch": branch["id"], "product": product["id"], "kind": "receipt", "quantity": 100})
    password = f"Caja-{uuid.uuid4().hex[:10]}!"
    user = admin.call("POST", "/api/auth/users/", 201, json={
        "username": f"cli{tag.lower()}", "password": password, "email": f"cli{tag.lower()}@example.com",
        "first_name": "Rosa", "last_name": "Prueba", "role": "cashier", "branches": [branch["id"]]})
    cashier = {"username": user["username"], "password": password}
    till = Api(gateway, **cashier)
    till.call("POST", "/api/sales/cash-sessions/", 201, headers={"Idempotency-Key": uuid.uuid4().hex},
              json={"branch": branch["id"], "opening_float": "100.00"})
    person = admin.call("POST", "/api/customers/", 201, json={
        "doc_type": "dni", "doc_number": new_dni(), "name": f"Lucía Ramos {tag}", "phone": "987654321"})
    yield {"admin": admin, "branch": branch, "product": product, "cashier": cashier, "till": till, "person": person,
           "tag": tag}


@pytest.fixture(scope="module")
def points_holder(customer_shop):
    """The person after a purchase: 4 × 59.00 = 236.00 earns them points (earned just after the sale completes)."""
    shop = customer_shop
    person = shop["person"]
    shop["till"].call("POST", "/api/sales/", 201, headers={"Idempotency-Key": uuid.uuid4().hex}, json={
        "branch": shop["branch"]["id"], "customer": person["id"],
        "lines": [{"product": shop["product"]["id"], "quantity": 4}],
        "payments": [{"method": "cash", "amount": "236.00"}]})
    deadline = time.monotonic() + 30
    while (person := shop["admin"].call("GET", f"/api/customers/{person['id']}/"))["points"] <= 0:
        assert time.monotonic() < deadline, f"no points earned: {person}"
        time.sleep(0.5)
    return person


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser):
    with open_tab(browser, height=1000, init_script="window.print = () => {};") as tab:
        yield tab


def add_product(page, product: dict, quantity: int = 1):
    scan = page.get_by_label("Código de barras, SKU o nombre")
    scan.fill(f"{quantity}*{product['barcode']}" if quantity > 1 else product["barcode"])
    scan.press("Enter")
    playwright.expect(page.locator(f"#pos-cart tr[data-product='{product['id']}']")).to_be_visible()


def find_customer(page, text: str):
    box = page.get_by_label("Documento del cliente (DNI, RUC) o nombre")
    box.fill(text)
    box.press("Enter")


def latest_sale(api: Api, branch: int) -> dict:
    return api.call("GET", f"/api/sales/?branch={branch}&page_size=1")["results"][0]


def test_an_invoice_to_a_company_created_at_the_till_by_its_ruc(tab, gateway, customer_shop):
    page, shop = tab, customer_shop
    admin, branch, product = shop["admin"], shop["branch"], shop["product"]
    ruc, company = new_ruc(), f"Comercial Andina {shop['tag']} S.A.C."
    sign_in(page, gateway, **shop["cashier"])
    go(page, "Punto de venta")
    add_product(page, product, 2)

    # nobody has this RUC: the form opens with it, as a company (legal name), and creates it
    find_customer(page, ruc)
    playwright.expect(page.locator("#pos-customer-unknown")).to_contain_text(ruc)
    form = page.locator("#pos-customer-form")
    playwright.expect(form.get_by_label("Tipo de documento")).to_have_value("ruc")
    playwright.expect(form.get_by_label("Número de documento")).to_have_value(ruc)
    form.get_by_label("Razón social").fill(company)
    form.get_by_label("Dirección").fill("Jr. Cusco 321, Lima")
    form.get_by_role("button", name="Crear cliente").click()
    playwright.expect(page.locator("#pos-customer-name")).to_have_text(company)
    playwright.expect(page.locator("#pos-customer-doc")).to_have_text(f"RUC {ruc}")
    # a company gets an invoice unless the cashier says otherwise
    playwright.expect(page.get_by_label("Factura")).to_be_checked()
    assert shot(page, "pos-invoice-customer.png").stat().st_size > 10000

    page.keyboard.press("F4")
    playwright.expect(page.get_by_label("Monto del pago 1")).to_have_value("118,00")
    page.keyboard.press("F9")
    playwright.expect(page.locator("#receipt-kind")).to_have_text(re.compile("Factura electrónica", re.I))
    playwright.expect(page.locator("#receipt-title")).to_contain_text(re.compile(r"F\d{3}-\d{8}"))
    playwright.expect(page.locator("#receipt-customer")).to_contain_text(company)
    playwright.expect(page.locator("#receipt-customer-doc")).to_have_text(f"RUC {ruc}")
    playwright.expect(page.locator("#receipt-customer")).to_contain_text("Jr. Cusco 321")
    assert shot(page, "receipt-invoice.png").stat().st_size > 10000

    (created,) = admin.call("GET", "/api/customers/", params={"doc_type": "ruc", "doc_number": ruc})["results"]
    assert (created["name"], created["address"]) == (company, "Jr. Cusco 321, Lima")
    sale = latest_sale(admin, branch["id"])
    assert (sale["document_type"], sale["customer"], sale["total"]) == ("invoice", created["id"], "118.00")
    assert re.fullmatch(r"F\d{3}-\d{8}", sale["document_number"])
    playwright.expect(page.locator("#receipt-title")).to_contain_text(sale["document_number"])

    # the next sale starts as a walk-in's receipt; a person found by DNI cannot take an invoice
    page.keyboard.press("F8")
    playwright.expect(page.get_by_label("Boleta")).to_be_checked()
    find_customer(page, shop["person"]["doc_number"])
    playwright.expect(page.locator("#pos-customer-name")).to_have_text(shop["person"]["name"])
    playwright.expect(page.get_by_label("Factura")).to_be_disabled()
    playwright.expect(page.locator("#pos-doc-hint")).to_contain_text("RUC")


def test_a_receipt_paid_part_with_points(tab, gateway, customer_shop, points_holder):
    page, shop, person = tab, customer_shop, points_holder
    admin, branch, product = shop["admin"], shop["branch"], shop["product"]
    before = admin.call("GET", f"/api/customers/{person['id']}/")
    sign_in(page, gateway, **shop["cashier"])
    go(page, "Punto de venta")
    add_product(page, product)
    # found by name: the matches are listed, the person is picked from them
    find_customer(page, person["name"])
    page.locator("#pos-customer-matches [role=option]").filter(has_text=person["doc_number"]).click()
    playwright.expect(page.locator("#pos-customer-points")).to_contain_text(str(before["points"]))
    playwright.expect(page.get_by_label("Boleta")).to_be_checked()

    # points first (what they are worth, at most what is due), the rest in cash
    page.get_by_role("button", name="+ Puntos", exact=True).click()
    points_paid = page.get_by_label("Monto del pago 1").input_value()
    assert Decimal(points_paid.replace(",", ".")) > 0
    page.get_by_role("button", name="+ Efectivo", exact=True).click()
    assert shot(page, "pos-points-payment.png").stat().st_size > 10000
    page.keyboard.press("F9")
    playwright.expect(page.locator("#receipt-kind")).to_have_text(re.compile("Boleta de venta electrónica", re.I))
    playwright.expect(page.locator("#receipt-title")).to_contain_text(re.compile(r"B\d{3}-\d{8}"))
    playwright.expect(page.locator("#receipt")).to_contain_text("Puntos")
    playwright.expect(page.locator("#receipt-customer")).to_contain_text(person["name"])
    assert shot(page, "receipt-points.png").stat().st_size > 10000

    sale = latest_sale(admin, branch["id"])
    assert (sale["document_type"], sale["customer"], sale["total"]) == ("receipt", person["id"], PRICE)
    by_method = {p["method"]: p["amount"] for p in sale["payments"]}
    assert by_method["points"] == points_paid.replace(",", ".")
    assert Decimal(by_method["points"]) + Decimal(by_method["cash"]) == Decimal(PRICE)
    # the spend is on the ledger at once; what this sale earns follows it asynchronously
    deadline = time.monotonic() + 30
    while True:
        ledger = admin.call("GET", f"/api/customers/{person['id']}/points/", params={"page_size": 50})
        mine = {row["kind"]: row for row in ledger["results"] if row["reference"] == f"sale:{sale['id']}"}
        if "earn" in mine or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert mine["spend"]["quantity"] == -int(Decimal(by_method["points"]) / Decimal(ledger["point_value"]))
    assert "earn" in mine, ledger["results"]
    after = admin.call("GET", f"/api/customers/{person['id']}/")
    assert after["points"] == ledger["points"] < before["points"] + mine["earn"]["quantity"]

    # the customer's screen: the purchases and the points ledger with the spend
    go(page, "Clientes")
    search = page.get_by_role("searchbox", name="Buscar cliente")
    search.fill(person["doc_number"])
    search.press("Enter")
    page.locator("#customer-results").get_by_role("link", name=person["name"]).click()
    playwright.expect(page.locator("#customer-points")).to_have_text(str(after["points"]))
    playwright.expect(page.locator("#customer-history")).to_contain_text(sale["document_number"])
    playwright.expect(page.locator("#customer-ledger tr[data-kind='spend']")).to_have_count(1)
    playwright.expect(page.locator("#customer-ledger tr[data-kind='spend']")).to_contain_text(f"sale:{sale['id']}")
    playwright.expect(page.locator("#customer-ledger tr[data-kind='earn']").first).to_be_visible()
    assert shot(page, "customer-ledger.png").stat().st_size > 10000
