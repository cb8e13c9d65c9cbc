"""Purchasing in headless Chromium (issue 21): suppliers and what they sell, as a purchaser does it.

The scene (a branch, products with barcodes, a purchaser) is set up through the public API as the bootstrap
admin; what the purchaser does goes through the browser only, and the outcome is read back through the API.
"""
from __future__ import annotations

import uuid

import pytest
from playwright import sync_api as playwright

from browser_support import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, Api, go, shot, sign_in

from sis_common.tax_ids import ruc_check_digit

# window.print opens no dialog in a test: it is counted instead
COUNT_PRINTS = "window.__prints = 0; window.print = () => { window.__prints += 1; };"


def key() -> dict:
    return {"Idempotency-Key": uuid.uuid4().hex}


def ruc() -> str:
    first_ten = f"20{uuid.uuid4().int % 10**8:08d}"
    return first_ten + str(ruc_check_digit(first_ten))


@pytest.fixture(scope="module")
def buying_shop(stack, gateway):
    """A branch, four products with barcodes, a purchaser and a warehouse clerk of that branch."""
    admin = Api(gateway, "admin", stack.secrets.admin_password()[0])
    tag = uuid.uuid4().hex[:6].upper()
    branch = admin.call("POST", "/api/branches/", 201, json={
        "code": f"P{tag}", "name": f"Compras {tag}", "city": "Lima", "address": "Av. Grau 120"})
    products = {
        name: admin.call("POST", "/api/inventory/products/", 201, json={
            "sku": f"{name.upper()}-{tag}", "barcode": f"776{tag}{n}", "name": f"{label} {tag}", "price": "10.00",
            "cost": "4.00", "tax_rate": "0.0000"})
        for name, n, label in (("rice", "01", "Arroz"), ("oil", "02", "Aceite"), ("soap", "03", "Jabón"), ("tea", "04", "Té"))
    }
    password = f"Buy-{uuid.uuid4().hex[:10]}!"
    people = {}
    for who, role in (("buyer", "purchaser"), ("clerk", "warehouse")):
        user = admin.call("POST", "/api/auth/users/", 201, json={
            "username": f"{who}{tag.lower()}", "password": password, "email": f"{who}{tag.lower()}@example.com",
            "first_name": who.title(), "last_name": "Prueba", "role": role, "branches": [branch["id"]]})
        people[who] = {"username": user["username"], "password": password}
    return {"admin": admin, "branch": branch, "products": products, "tag": tag, **people}


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser):
    """A tab whose window.print is counted and whose confirmations are accepted."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-ES")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(COUNT_PRINTS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def test_a_purchaser_adds_a_supplier_and_what_it_sells(tab, gateway, buying_shop):
    page, shop = tab, buying_shop
    admin, rice, oil = shop["admin"], shop["products"]["rice"], shop["products"]["oil"]
    sign_in(page, gateway, **shop["buyer"])
    # a purchaser's menu is purchasing, stock and the catalogue (no till, no sales)
    nav = page.get_by_role("navigation", name="Principal")
    for screen in ("Proveedores", "Existencias", "Productos"):
        playwright.expect(nav.get_by_role("link", name=screen, exact=True)).to_be_visible()
    playwright.expect(nav.get_by_role("link", name="Punto de venta", exact=True)).to_have_count(0)
    go(page, "Proveedores")

    # a RUC with a wrong check digit is refused under its field and nothing is stored
    code = f"PRV{shop['tag']}"
    good = ruc()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    form = page.locator("#supplier-form")
    form.get_by_label("Código").fill(code)
    form.get_by_label("Razón social").fill(f"Distribuidora {shop['tag']}")
    form.get_by_label("RUC").fill(bad)
    form.get_by_label("Correo").fill("ventas@example.com")
    form.get_by_role("button", name="Agregar proveedor").click()
    playwright.expect(form.locator("[data-name='tax_id'] .field-error")).to_be_visible()
    assert admin.call("GET", f"/api/purchasing/suppliers/?search={code}")["results"] == []
    form.get_by_label("RUC").fill(good)
    form.get_by_role("button", name="Agregar proveedor").click()
    row = page.locator("#supplier-results tr").filter(has_text=code)
    playwright.expect(row).to_contain_text(good)
    supplier = admin.call("GET", f"/api/purchasing/suppliers/?search={code}")["results"][0]
    assert (supplier["tax_id"], supplier["email"], supplier["payment_terms_days"]) == (good, "ventas@example.com", 30)

    # the supplier's card: two products it sells, one preferred with a pack of 12
    row.get_by_role("link", name=code).click()
    playwright.expect(page.locator("#page-title")).to_contain_text(code)
    product_form = page.locator("#supplier-product-form")
    for product, cost, pack, preferred in ((rice, "3,20", "12", True), (oil, "5.5", "6", False)):
        picker = product_form.get_by_role("combobox")
        picker.fill(product["barcode"])
        picker.press("Enter")
        playwright.expect(product_form.locator(".picker .hint")).to_contain_text(product["name"])
        product_form.get_by_label("Costo unitario").fill(cost)
        product_form.get_by_label("Empaque").fill(pack)
        product_form.get_by_label("Plazo de entrega").fill("3")
        product_form.get_by_label("Código del proveedor").fill(f"SP-{product['sku']}")
        if preferred:
            product_form.get_by_label("Proveedor preferido de este producto").check()
        product_form.get_by_role("button", name="Agregar producto").click()
        playwright.expect(page.locator(f"#supplier-products tr[data-product='{product['id']}']")).to_be_visible()
    # the same product again is refused with the service's reason
    picker = page.locator("#supplier-product-form").get_by_role("combobox")
    picker.fill(rice["sku"])
    picker.press("Enter")
    page.locator("#supplier-product-form").get_by_label("Costo unitario").fill("3")
    page.locator("#supplier-product-form").get_by_role("button", name="Agregar producto").click()
    playwright.expect(page.locator(".alert").first).to_contain_text("El proveedor ya vende ese producto")
    rows = admin.call("GET", f"/api/purchasing/suppliers/{supplier['id']}/products/")["results"]
    assert sorted((r["product"], r["unit_cost"], r["pack_size"], r["is_preferred"]) for r in rows) == sorted(
        [(rice["id"], "3.20", 12, True), (oil["id"], "5.50", 6, False)])
    playwright.expect(page.locator(f"#supplier-products tr[data-product='{rice['id']}']")).to_contain_text("Sí")
    assert shot(page, "purchasing-supplier.png").stat().st_size > 5000

    # in English the same screen speaks English
    page.locator("#lang-select").select_option("en")
    playwright.expect(page.locator("#supplier-products-title")).to_have_text("Supplier's products")
    page.locator("#lang-select").select_option("es")


def test_a_clerk_sets_a_products_minimum_and_desired_level_at_stock(tab, gateway, buying_shop):
    page, shop = tab, buying_shop
    admin, branch, soap = shop["admin"], shop["branch"], shop["products"]["tea"]
    admin.call("POST", "/api/inventory/receipts/", 201, headers=key(), json={
        "branch": branch["id"], "lines": [{"product": soap["id"], "quantity": 4}]})
    sign_in(page, gateway, **shop["clerk"])
    go(page, "Existencias")
    row = page.locator(f"#stock-results tr[data-product='{soap['id']}']")
    # a maximum below the minimum is refused and nothing changes
    row.get_by_label(f"Mínimo de {soap['name']}").fill("6")
    row.get_by_label(f"Máximo de {soap['name']}").fill("5")
    row.get_by_role("button", name="Guardar").click()
    playwright.expect(page.locator(".alert").first).to_be_visible()
    level = admin.call("GET", f"/api/inventory/stock/{branch['id']}/{soap['id']}/")
    assert (level["min_quantity"], level["max_quantity"]) == (0, None)
    row.get_by_label(f"Máximo de {soap['name']}").fill("20")
    row.get_by_role("button", name="Guardar").click()
    playwright.expect(page.locator("#notice")).to_contain_text("mínimo 6, máximo 20")
    level = admin.call("GET", f"/api/inventory/stock/{branch['id']}/{soap['id']}/")
    assert (level["min_quantity"], level["max_quantity"]) == (6, 20)
    # emptied, the desired level is gone (a reorder fills up to the minimum)
    row.get_by_label(f"Máximo de {soap['name']}").fill("")
    row.get_by_role("button", name="Guardar").click()
    playwright.expect(page.locator("#notice")).to_contain_text("Mínimo de")
    assert admin.call("GET", f"/api/inventory/stock/{branch['id']}/{soap['id']}/")["max_quantity"] is None

