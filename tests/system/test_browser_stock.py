"""Stock documents, counts and the dashboard's charts of issue 20 in headless Chromium.

The scene (branches, products with barcodes, opening stock, a warehouse clerk and a manager) is set up
through the public API as the bootstrap admin; what the clerk and the manager do goes through the
browser only, and the outcome is read back through the API.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright import sync_api as playwright

from browser_support import (ARTIFACTS, launched_chromium, open_tab, Api, go, key, new_products, shot,
                             sign_in, stocked_branch)

CHARTS = ("daily", "mix", "top", "low")


@pytest.fixture(scope="module")
def stock_shop(stack, gateway):
    """Three branches (documents, count, dashboard), three products, a warehouse clerk and a manager who sold."""
    admin = Api(gateway, "admin", stack.secrets.admin_password()[0])
    tag = uuid.uuid4().hex[:6].upper()
    products = new_products(admin, tag, {"milk": ("Leche", "10.00", "0.0000"), "bread": ("Pan", "10.00", "0.0000"),
                                         "tea": ("Té", "10.00", "0.0000")})
    ids = {k: p["id"] for k, p in products.items()}
    # the count branch holds 5 milk and 3 bread; the dashboard branch 20 milk and 2 tea under a minimum of 5
    held = {"docs": {}, "count": {ids["milk"]: 5, ids["bread"]: 3}, "dash": {ids["milk"]: 20, ids["tea"]: 2}}
    branches = {name: stocked_branch(admin, code=f"{letter}{tag}", name=f"{name.title()} {tag}", stock=held[name],
                                     address="Jr. Puno 1")
                for name, letter in (("docs", "D"), ("count", "C"), ("dash", "S"))}
    admin.call("PATCH", f"/api/inventory/stock/{branches['dash']['id']}/{ids['tea']}/", json={"min_quantity": 5})
    password = f"Stock-{uuid.uuid4().hex[:10]}!"
    people = {}
    for who, role, mine in (("clerk", "warehouse", ["docs", "count"]), ("boss", "manager", ["dash"])):
        user = admin.call("POST", "/api/auth/users/", 201, json={
            "username": f"{who}{tag.lower()}", "password": password, "email": f"{who}{tag.lower()}@example.com",
            "first_name": who.title(), "last_name": "Prueba", "role": role,
            "branches": [branches[b]["id"] for b in mine]})
        people[who] = {"username": user["username"], "password": password}
    boss = Api(gateway, **people["boss"])
    dash = branches["dash"]["id"]
    boss.call("POST", "/api/sales/cash-sessions/", 201, headers=key(), json={"branch": dash, "opening_float": "50.00"})
    boss.call("POST", "/api/sales/", 201, headers=key(), json={
        "branch": dash, "lines": [{"product": ids["milk"], "quantity": 3}],
        "payments": [{"method": "cash", "amount": "30.00"}]})
    boss.call("POST", "/api/sales/", 201, headers=key(), json={
        "branch": dash, "lines": [{"product": ids["milk"], "quantity": 1}, {"product": ids["tea"], "quantity": 1}],
        "payments": [{"method": "card", "amount": "20.00"}]})
    return {"admin": admin, "branches": branches, "products": products, **people}


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser):
    with open_tab(browser, accept_dialogs=True) as tab:
        yield tab


def scan(page, box: str, code: str):
    field = page.locator(box)
    field.fill(code)
    field.press("Enter")


def choose_branch(page, branch: dict):
    page.locator("#branch-select").select_option(str(branch["id"]))


def stock_of(api: Api, branch: dict, product: dict) -> int:
    return api.call("GET", f"/api/inventory/stock/{branch['id']}/{product['id']}/")["quantity"]


def test_a_receipt_of_many_lines_is_scanned_and_an_adjustment_has_a_reason(tab, gateway, stock_shop):
    page, shop = tab, stock_shop
    milk, bread = shop["products"]["milk"], shop["products"]["bread"]
    branch, admin = shop["branches"]["docs"], shop["admin"]
    sign_in(page, gateway, **shop["clerk"])
    choose_branch(page, branch)
    go(page, "Documentos de stock")
    playwright.expect(page.locator("#doc-empty")).to_be_visible()

    # two scans of the milk's barcode make one line of 2; the bread's SKU with 3* makes a line of 3
    scan(page, "#doc-scan", milk["barcode"])
    scan(page, "#doc-scan", milk["barcode"])
    scan(page, "#doc-scan", f"3*{bread['sku']}")
    playwright.expect(page.locator("#doc-lines tr")).to_have_count(2)
    playwright.expect(page.get_by_label(f"Cantidad de {milk['name']}")).to_have_value("2")
    playwright.expect(page.get_by_label(f"Cantidad de {bread['name']}")).to_have_value("3")
    page.get_by_label(f"Costo unitario de {milk['name']}").fill("4,50")
    page.get_by_label("Guía o factura del proveedor").fill("GR-001")
    # an unknown code adds nothing and says so
    scan(page, "#doc-scan", "NO-SUCH-CODE")
    playwright.expect(page.locator("#doc-scan-said")).to_contain_text("NO-SUCH-CODE")
    playwright.expect(page.locator("#doc-lines tr")).to_have_count(2)
    page.get_by_role("button", name="Registrar entrada").click()

    title = page.locator("#doc-created-title")
    playwright.expect(title).to_contain_text("registrada")
    number = re.search(r"Entrada (\S+) registrada", title.inner_text()).group(1)
    playwright.expect(page.locator(f"tr[data-number='{number}']")).to_be_visible()
    playwright.expect(page.locator("#doc-empty")).to_be_visible()
    shot(page, "stock-receipt.png")
    receipts = admin.call("GET", f"/api/inventory/receipts/?branch={branch['id']}")["results"]
    assert [r["number"] for r in receipts] == [number]
    assert receipts[0]["supplier_ref"] == "GR-001"
    assert sorted((line["product"], line["quantity"], line["unit_cost"]) for line in receipts[0]["lines"]) == sorted(
        [(milk["id"], 2, "4.50"), (bread["id"], 3, None)])
    assert (stock_of(admin, branch, milk), stock_of(admin, branch, bread)) == (2, 3)
    ledger = admin.call("GET", f"/api/inventory/movements/?branch={branch['id']}&reference={number}")["results"]
    assert sorted(m["quantity"] for m in ledger) == [2, 3]

    # an adjustment: one milk broke
    page.locator("#doc-tab-adjustment").click()
    page.get_by_label("Motivo").select_option("damage")
    scan(page, "#doc-scan", milk["barcode"])
    page.get_by_label(f"Cantidad de {milk['name']}").fill("-1")
    page.get_by_role("button", name="Registrar ajuste").click()
    playwright.expect(page.locator("#doc-created-title")).to_contain_text("registrado")
    adjustments = admin.call("GET", f"/api/inventory/adjustments/?branch={branch['id']}")["results"]
    assert [(a["reason"], a["lines"]) for a in adjustments] == [("damage", [{"product": milk["id"], "quantity": -1}])]
    assert stock_of(admin, branch, milk) == 1


def test_a_count_is_scanned_its_difference_shown_and_posted_to_the_ledger(tab, gateway, stock_shop):
    page, shop = tab, stock_shop
    milk, bread, tea = shop["products"]["milk"], shop["products"]["bread"], shop["products"]["tea"]
    branch, admin = shop["branches"]["count"], shop["admin"]
    sign_in(page, gateway, **shop["clerk"])
    choose_branch(page, branch)
    go(page, "Inventarios (conteos)")
    page.get_by_label("Qué contar").select_option("products")
    scan(page, "#count-open-scan", milk["barcode"])
    scan(page, "#count-open-scan", bread["sku"])
    playwright.expect(page.locator("#count-products li")).to_have_count(2)
    page.get_by_role("button", name="Abrir conteo").click()

    playwright.expect(page.locator("#count-lines tr")).to_have_count(2)
    milk_row = page.locator(f"#count-lines tr[data-product='{milk['id']}']")
    bread_row = page.locator(f"#count-lines tr[data-product='{bread['id']}']")
    playwright.expect(milk_row.locator(".expected")).to_have_text("5")
    # one scan, then 3* more: 4 milk counted against 5 expected; the bread's 3 typed
    scan(page, "#count-scan", milk["barcode"])
    playwright.expect(milk_row.locator("input.counted")).to_have_value("1")
    scan(page, "#count-scan", f"3*{milk['barcode']}")
    playwright.expect(milk_row.locator("input.counted")).to_have_value("4")
    bread_row.locator("input.counted").fill("3")
    bread_row.locator("input.counted").press("Enter")
    playwright.expect(bread_row.locator(".difference")).to_have_text("0")
    playwright.expect(milk_row.locator(".difference")).to_have_text("-1")
    playwright.expect(page.locator("#count-summary")).to_contain_text("2 de 2 líneas contadas; 1 con diferencia")
    # a product outside the count is refused on the page
    scan(page, "#count-scan", tea["barcode"])
    playwright.expect(page.locator("#count-scan-said")).to_contain_text("no está en este conteo")
    shot(page, "stock-count.png")

    page.get_by_role("button", name="Publicar diferencias").click()
    playwright.expect(page.locator("#count-header")).to_contain_text("publicado")
    playwright.expect(page.locator("#count-post")).to_have_count(0)
    count_id = int(page.url.rsplit("/", 1)[1])
    count = admin.call("GET", f"/api/inventory/counts/{count_id}/")
    assert count["status"] == "posted"
    assert stock_of(admin, branch, milk) == 4 and stock_of(admin, branch, bread) == 3
    ledger = admin.call("GET", f"/api/inventory/movements/?branch={branch['id']}&kind=count")["results"]
    assert [(m["product"], m["quantity"], m["reference"]) for m in ledger] == [(milk["id"], -1, count["reference"])]

    # the ledger screen lists it under the kind `count`
    page.get_by_role("link", name="Ver los movimientos de conteo en el kárdex").click()
    playwright.expect(page.locator("#ledger-results")).to_contain_text("Conteo")
    playwright.expect(page.locator("#ledger-results")).to_contain_text(milk["name"])


# how many pixels of each chart's canvas Chart.js painted (not transparent)
PAINTED = """() => Object.fromEntries([...document.querySelectorAll('#dash-charts canvas')].map((c) => {
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) painted += 1;
    return [c.id.replace('chart-', ''), painted];
}))"""


def test_the_dashboard_draws_its_charts_in_both_languages(tab, gateway, stock_shop):
    page, shop = tab, stock_shop
    sign_in(page, gateway, **shop["boss"])
    go(page, "Resumen")
    for name in CHARTS:
        playwright.expect(page.locator(f"#chart-{name}")).to_be_visible()
    playwright.expect(page.locator("#dash-charts")).to_contain_text("Ventas por día")
    # every canvas holds a drawing: Chart.js ran under the page's policy, and drew more than a blank box
    painted = page.evaluate(PAINTED)
    assert sorted(painted) == sorted(CHARTS)
    assert all(count > 500 for count in painted.values()), painted
    for name in CHARTS:
        shot_of(page.locator(f"#chart-{name}"), f"dashboard-chart-{name}.png")
    drawn = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#dash-charts canvas')]
        .map((c) => [c.id, window.Chart.getChart(c)?.data.datasets.map((d) => d.data.map(Number))]))""")
    # the payment mix of the branch's 30 days holds the cash and the card sold today; top products: milk 4, tea 1
    assert drawn["chart-mix"] == [[30.0, 20.0, 0.0]]
    assert drawn["chart-top"] == [[4.0, 1.0]]
    assert drawn["chart-low"] == [[1.0], [5.0]]  # tea: 1 left after the sale, minimum 5
    assert sum(drawn["chart-daily"][0]) == 50.0
    shot(page, "dashboard-charts-es.png")

    page.locator("#lang-select").select_option("en")
    playwright.expect(page.locator("#dash-charts")).to_contain_text("Sales per day")
    playwright.expect(page.locator("#chart-mix")).to_be_visible()
    labels = page.evaluate("() => window.Chart.getChart(document.querySelector('#chart-mix')).data.labels")
    assert labels == ["Cash", "Card", "Transfer"]
    shot(page, "dashboard-charts-en.png")


def shot_of(locator, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    locator.screenshot(path=str(path))
    return path
