"""The web UI in headless Chromium against a whole stack: a cashier's sale, branch scope, tokens, language.

Data is set up through the public API as the bootstrap admin; everything the
cashier does goes through the browser only.
"""
from __future__ import annotations

import re
import uuid

import pytest
import requests
from playwright import sync_api as playwright

from browser_support import launched_chromium, open_tab, Api, go, new_products, sale_number, shot, sign_in, \
    stocked_branch


@pytest.fixture(scope="module")
def shop(stack, gateway):
    """Two branches, two products stocked at the first, and a cashier of the first branch."""
    admin = Api(gateway, "admin", stack.secrets.admin_password()[0])
    tag = uuid.uuid4().hex[:6].upper()
    products = new_products(admin, tag, {"soap": ("Jabón", "10.00"), "rice": ("Arroz", "5.50")})
    soap, rice = products["soap"]["id"], products["rice"]["id"]
    here = stocked_branch(admin, code=f"C{tag}", name="Centro", stock={soap: 10, rice: 20})
    there = stocked_branch(admin, code=f"N{tag}", name="Norte", stock={soap: 7, rice: 7})
    password = f"Caja-{uuid.uuid4().hex[:10]}!"
    cashier = admin.call("POST", "/api/auth/users/", 201, json={
        "username": f"cajero{tag.lower()}", "password": password, "email": f"cajero{tag.lower()}@example.com",
        "role": "cashier", "branches": [here["id"]]})
    manager = admin.call("POST", "/api/auth/users/", 201, json={
        "username": f"gerente{tag.lower()}", "password": password, "email": f"gerente{tag.lower()}@example.com",
        "role": "manager", "branches": [here["id"], there["id"]]})
    return {"admin": admin, "here": here, "there": there, "products": products,
            "cashier": {"username": cashier["username"], "password": password},
            "manager": {"username": manager["username"], "password": password}}


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser):
    with open_tab(browser) as tab:
        yield tab


def test_cashier_sells_two_products_with_split_payment_and_sees_stock_and_dashboard(page, gateway, shop):
    soap, rice = shop["products"]["soap"], shop["products"]["rice"]
    sign_in(page, gateway, **shop["cashier"])
    go(page, "Punto de venta")
    scan = page.get_by_label("Código de barras, SKU o nombre")
    playwright.expect(scan).to_be_focused()

    # scan one soap, then two bags of rice with the "2*" prefix; Enter adds each
    scan.fill(soap["barcode"])
    scan.press("Enter")
    playwright.expect(page.locator(f"#pos-cart tr[data-product='{soap['id']}']")).to_contain_text(soap["name"])
    scan.fill(f"2*{rice['barcode']}")
    scan.press("Enter")
    rice_qty = page.get_by_label(f"Cantidad de {rice['name']}")
    playwright.expect(rice_qty).to_have_value("2")
    # shelf prices include the 18 % tax (the company's default): 10.00 + 2 x 5.50 = 21.00, of which tax
    # 1.53 + 1.68 (each line split on its own, half up)
    playwright.expect(page.locator("#pos-total")).to_have_text(re.compile(r"21,00"))
    playwright.expect(page.locator("#pos-tax")).to_have_text(re.compile(r"3,21"))

    # split: 10,00 by card, the rest in cash with a 20,00 note
    page.get_by_role("button", name="+ Tarjeta").click()
    page.get_by_label("Monto del pago 1").fill("10,00")
    page.get_by_role("button", name="+ Efectivo").click()
    playwright.expect(page.get_by_label("Monto del pago 2")).to_have_value("11,00")
    page.get_by_label("Monto del pago 2").fill("20")
    playwright.expect(page.locator("#pos-change")).to_have_text(re.compile(r"9,00"))
    assert shot(page, "point-of-sale.png").stat().st_size > 10000

    page.keyboard.press("F9")
    playwright.expect(page.locator("#receipt-total")).to_have_text(re.compile(r"21,00"))
    playwright.expect(page.locator("#receipt-change")).to_have_text(re.compile(r"9,00"))
    number = sale_number(page)
    shot(page, "point-of-sale-receipt.png")

    # the sale as the API knows it: two lines, two payments
    sales = shop["admin"].call("GET", f"/api/sales/?branch={shop['here']['id']}")["results"]
    sale = next(s for s in sales if s["number"] == number)
    assert sale["total"] == "21.00" and sale["tax"] == "3.21" and sale["change"] == "9.00"
    assert sorted((p["method"], p["amount"]) for p in sale["payments"]) == [("card", "10.00"), ("cash", "20.00")]

    # stock dropped at this branch
    go(page, "Existencias")
    playwright.expect(page.locator(f"#stock-results tr[data-product='{soap['id']}'] td.quantity")).to_have_text("9")
    playwright.expect(page.locator(f"#stock-results tr[data-product='{rice['id']}'] td.quantity")).to_have_text("18")

    # the cashier's dashboard lists the sale
    go(page, "Resumen")
    playwright.expect(page.get_by_role("link", name=number)).to_be_visible()

    # the branch manager's dashboard shows the day's figures: the sale, its total and the split by method
    page.get_by_role("button", name="Cerrar sesión").click()
    page.get_by_role("button", name="Entrar").wait_for()
    sign_in(page, gateway, **shop["manager"])
    page.get_by_label("Sucursal").select_option(str(shop["here"]["id"]))
    card = page.locator(f".card[data-branch='{shop['here']['id']}']")
    playwright.expect(card.locator(".sales-count")).to_have_text("1")
    playwright.expect(card.locator(".sales-total")).to_have_text(re.compile(r"21,00"))
    playwright.expect(card.locator("tr[data-method='card'] td")).to_have_text(re.compile(r"10,00"))
    playwright.expect(card.locator("tr[data-method='cash'] td")).to_have_text(re.compile(r"11,00"))
    playwright.expect(page.get_by_role("link", name=number)).to_be_visible()


def test_cashier_cannot_see_another_branch(page, gateway, shop):
    sign_in(page, gateway, **shop["cashier"])
    here, there = shop["here"], shop["there"]
    options = page.locator("#branch-select option")
    playwright.expect(options).to_have_count(1)
    playwright.expect(options).to_have_text(re.compile(here["code"]))
    nav = page.get_by_role("navigation", name="Principal")
    playwright.expect(nav.get_by_role("link", name="Usuarios")).to_have_count(0)
    playwright.expect(nav.get_by_role("link", name="Sucursales")).to_have_count(0)

    # asking for the other branch by address gets a clear refusal and none of its rows
    page.goto(f"{gateway}/#/stock?branch={there['id']}")
    playwright.expect(page.get_by_role("alert")).to_contain_text(re.compile(r"sucursal|permiso", re.I))
    playwright.expect(page.locator(f"#stock-results tr[data-branch='{there['id']}']")).to_have_count(0)
    page.goto(f"{gateway}/#/sales?branch={there['id']}")
    playwright.expect(page.get_by_role("alert")).to_contain_text(re.compile(r"sucursal|permiso", re.I))


def test_expired_access_token_is_refreshed_silently_and_logout_clears_everything(page, gateway, shop):
    sign_in(page, gateway, **shop["cashier"])
    # the access token goes bad (as when it expires); the refresh token still works
    page.evaluate("sessionStorage.setItem('ewtto.access', 'expired.token.value')")
    go(page, "Existencias")
    soap = shop["products"]["soap"]
    playwright.expect(page.locator(f"#stock-results tr[data-product='{soap['id']}']")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('ewtto.access')") != "expired.token.value"
    refresh = page.evaluate("sessionStorage.getItem('ewtto.refresh')")

    with page.expect_response(lambda r: r.url.endswith("/api/auth/logout/")) as logout:
        page.get_by_role("button", name="Cerrar sesión").click()
    assert logout.value.status == 204
    page.get_by_role("button", name="Entrar").wait_for()
    assert page.evaluate("sessionStorage.length") == 0
    # the server forgot the refresh token too
    answer = requests.post(f"{gateway}/api/auth/token/refresh/", json={"refresh": refresh}, timeout=10)
    assert answer.status_code == 401


def test_language_switch_to_english_is_remembered(page, gateway, shop):
    sign_in(page, gateway, **shop["cashier"])
    page.get_by_label("Idioma").select_option("en")
    nav = page.get_by_role("navigation", name="Main")
    playwright.expect(nav.get_by_role("link", name="Point of sale")).to_be_visible()
    page.reload()
    playwright.expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"


def test_a_manager_runs_a_shop_day_from_the_browser(page, gateway, shop):
    """Open the till, sell, take a return, receive stock, transfer, close the till, read the day's report."""
    here, there = shop["here"], shop["there"]
    soap, rice = shop["products"]["soap"], shop["products"]["rice"]
    stock = shop["admin"].call("GET", f"/api/inventory/stock/?branch={here['id']}&product={rice['id']}")
    rice_before = stock["results"][0]["quantity"]
    sign_in(page, gateway, **shop["manager"])
    page.get_by_label("Sucursal").select_option(str(here["id"]))

    go(page, "Caja")
    page.get_by_label("Fondo inicial").fill("50,00")
    page.get_by_role("button", name="Abrir caja").click()
    playwright.expect(page.get_by_role("status")).to_contain_text("abierta")

    go(page, "Punto de venta")
    playwright.expect(page.locator(".pos-session")).to_contain_text("abierta")
    scan = page.get_by_label("Código de barras, SKU o nombre")
    scan.fill(f"3*{soap['sku']}")
    scan.press("Enter")
    playwright.expect(page.get_by_label(f"Cantidad de {soap['name']}")).to_have_value("3")
    page.keyboard.press("F4")  # a cash payment of exactly what is due
    playwright.expect(page.get_by_label("Monto del pago 1")).to_have_value("30,00")
    page.keyboard.press("F9")
    playwright.expect(page.locator("#receipt-total")).to_have_text(re.compile(r"30,00"))
    number = sale_number(page)

    # the customer brings one soap back
    go(page, "Ventas y devoluciones")
    page.get_by_role("link", name=number, exact=True).click()
    page.get_by_label(f"Cantidad a devolver de {soap['name']}").fill("1")
    page.get_by_label("Motivo").fill("envase roto")
    page.get_by_role("button", name="Registrar devolución").click()
    playwright.expect(page.get_by_role("status")).to_contain_text("reembolso de 10,00")

    # stock arrives, and some rice goes to the other branch
    go(page, "Entradas y ajustes")
    picker = page.locator("#movement-form").get_by_label("Producto")
    picker.fill(rice["sku"])
    picker.press("Enter")
    page.locator("#movement-form").get_by_label("Cantidad").fill("5")
    page.get_by_role("button", name="Registrar").click()
    playwright.expect(page.get_by_role("status")).to_contain_text(f"saldo {rice_before + 5}")

    go(page, "Traspasos")
    form = page.locator("#transfer-form")
    form.get_by_label("Destino").select_option(str(there["id"]))
    form.get_by_label("Producto").fill(rice["sku"])
    form.get_by_label("Producto").press("Enter")
    form.get_by_label("Cantidad").fill("4")
    form.get_by_role("button", name="Agregar").click()
    form.get_by_role("button", name="Crear borrador").click()
    row = page.locator("#transfer-results tr").filter(has_text=rice["name"]).first
    row.get_by_role("button", name="Despachar").click()
    row = page.locator("#transfer-results tr").filter(has_text=rice["name"]).first
    row.get_by_role("button", name="Recibir").click()
    row = page.locator("#transfer-results tr").filter(has_text=rice["name"]).first
    playwright.expect(row).to_contain_text("recibido")

    go(page, "Existencias")
    rice_row = page.locator(f"#stock-results tr[data-product='{rice['id']}'] td.quantity")
    playwright.expect(rice_row).to_have_text(str(rice_before + 5 - 4))

    # the till, closed blind: 50,00 float + 30,00 sold - 10,00 refunded = 70,00 expected in cash, shown after
    go(page, "Caja")
    playwright.expect(page.locator("#cash-close-form")).not_to_contain_text("70,00")
    page.get_by_label("Cantidad de 20,00", exact=True).fill("3")
    page.get_by_label("Cantidad de 10,00", exact=True).fill("1")
    page.once("dialog", lambda confirm: confirm.accept())
    page.get_by_role("button", name="Cerrar caja").click()
    cash = page.locator("#cash-summary tr[data-method='cash'] td")
    playwright.expect(cash).to_have_text([re.compile(r"70,00"), re.compile(r"70,00"), re.compile(r"0,00")])

    go(page, "Resumen")
    card = page.locator(f".card[data-branch='{here['id']}']")
    playwright.expect(card.locator(".sales-count")).to_have_text(re.compile(r"\d"))
    playwright.expect(page.get_by_role("link", name=number)).to_be_visible()


def test_a_scanned_code_counts_even_when_the_form_is_sent_before_its_lookup_answers(page, gateway, shop):
    """A scanner types the code and Enter; the clerk clicks Registrar while the product is still being looked up."""
    here, soap = shop["here"], shop["products"]["soap"]
    stock = shop["admin"].call("GET", f"/api/inventory/stock/?branch={here['id']}&product={soap['id']}")
    before = stock["results"][0]["quantity"]
    sign_in(page, gateway, **shop["manager"])
    page.get_by_label("Sucursal").select_option(str(here["id"]))
    go(page, "Entradas y ajustes")
    held = []  # the lookup's request is held back (not answered by the test) until after the click
    lookups = re.compile(r".*/api/inventory/products/\?.*search=")
    page.route(lookups, lambda route: held.append(route))
    form = page.locator("#movement-form")
    form.get_by_label("Cantidad").fill("2")
    form.get_by_label("Producto").fill(soap["barcode"])
    form.get_by_label("Producto").press("Enter")
    deadline = 50
    while not held and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    assert held, "the picker did not look the code up"
    form.get_by_role("button", name="Registrar").click()
    page.wait_for_timeout(300)
    assert not page.get_by_role("status").count()  # nothing was sent without its product
    for route in held:
        route.continue_()
    page.unroute(lookups)
    playwright.expect(page.get_by_role("status")).to_contain_text(f"saldo {before + 2}")
    playwright.expect(page.locator("#movement-form .alert")).to_have_count(0)
