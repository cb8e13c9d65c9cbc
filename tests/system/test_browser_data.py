"""Imports and report files of issue 20 in headless Chromium: a dry run shows the rows and columns at fault, the
fixed file is imported, and a report's XLSX export opens with the figures on the screen.

The scene is set up through the public API as the bootstrap admin; the imports and the export go through the
browser only, and the outcome is read back through the API.
"""
from __future__ import annotations

import io
import re
import uuid
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright import sync_api as playwright

from browser_support import (launched_chromium, open_tab, Api, go, key, new_products, shot, sign_in,
                             stocked_branch)


@pytest.fixture(scope="module")
def data_shop(stack, gateway):
    admin = Api(gateway, "admin", stack.secrets.admin_password()[0])
    tag = uuid.uuid4().hex[:6].upper()
    products = new_products(admin, tag, {"salt": ("Sal", "2.50", "0.1800"), "flour": ("Harina", "4.00", "0.1800")},
                            barcode_prefix="778")
    branch = stocked_branch(admin, code=f"I{tag}", name=f"Importes {tag}",
                            stock={p["id"]: 40 for p in products.values()})
    other = stocked_branch(admin, code=f"J{tag}", name=f"Otra {tag}")
    password = f"Data-{uuid.uuid4().hex[:10]}!"
    user = admin.call("POST", "/api/auth/users/", 201, json={
        "username": f"alm{tag.lower()}", "password": password, "email": f"alm{tag.lower()}@example.com",
        "role": "warehouse", "branches": [branch["id"]]})
    return {"admin": admin, "password": stack.secrets.admin_password()[0], "tag": tag, "products": products,
            "branch": branch, "other": other, "clerk": {"username": user["username"], "password": password}}


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser):
    with open_tab(browser, accept_downloads=True) as tab:
        yield tab


def choose_file(page, name: str, text: str):
    page.set_input_files("#import-file", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}])


def faults(page) -> list[tuple[str, str]]:
    rows = page.locator("#import-report tbody tr")
    return [(rows.nth(i).get_attribute("data-row"), rows.nth(i).get_attribute("data-column"))
            for i in range(rows.count())]


def test_a_product_file_is_checked_its_faults_shown_then_fixed_and_imported(tab, gateway, data_shop):
    page, shop, tag = tab, data_shop, data_shop["tag"]
    admin = shop["admin"]
    sign_in(page, gateway, "admin", shop["password"])
    go(page, "Importar")
    playwright.expect(page.locator("#import-tab-products")).to_have_attribute("aria-current", "page")
    header = "sku,name,barcode,category,price,cost,tax_rate,is_active\n"
    wrong = header + (f"NEW1-{tag},Aceite {tag},,Abarrotes {tag},8.90,6.00,0.18,true\n"
                      f"NEW2-{tag},Vinagre {tag},,Abarrotes {tag},abc,,,\n"
                      f"NEW3-{tag},,,,1.00,,2,\n")
    choose_file(page, "productos.csv", wrong)
    page.get_by_role("button", name="Revisar archivo").click()
    playwright.expect(page.locator("#import-status")).to_contain_text("3 error")
    assert faults(page) == [("3", "price"), ("4", "name"), ("4", "tax_rate")]
    playwright.expect(page.locator("#import-run")).to_be_disabled()
    shot(page, "import-products-dry-run-errors.png")
    assert admin.call("GET", "/api/inventory/products/", params={"search": f"NEW1-{tag}"})["results"] == []

    fixed = header + (f"NEW1-{tag},Aceite {tag},,Abarrotes {tag},8.90,6.00,0.18,true\n"
                      f"NEW2-{tag},Vinagre {tag},,Abarrotes {tag},3.10,,,\n"
                      f"{shop['products']['salt']['sku']},Sal de mesa {tag},,,2.60,,,\n")
    choose_file(page, "productos.csv", fixed)
    page.get_by_role("button", name="Revisar archivo").click()
    playwright.expect(page.locator("#import-status")).to_contain_text("sin errores")
    playwright.expect(page.locator("#import-created")).to_have_text("2")
    playwright.expect(page.locator("#import-updated")).to_have_text("1")
    assert admin.call("GET", "/api/inventory/products/", params={"search": f"NEW1-{tag}"})["results"] == []
    page.get_by_role("button", name="Importar", exact=True).click()
    playwright.expect(page.locator("#import-status")).to_have_text("Importación terminada.")
    playwright.expect(page.locator("#import-created")).to_have_text("2")
    shot(page, "import-products-done.png")
    made = admin.call("GET", "/api/inventory/products/", params={"search": f"NEW2-{tag}"})["results"]
    assert [(p["name"], p["price"]) for p in made] == [(f"Vinagre {tag}", "3.10")]
    salt = admin.call("GET", f"/api/inventory/products/{shop['products']['salt']['id']}/")
    assert (salt["name"], salt["price"]) == (f"Sal de mesa {tag}", "2.60")


def test_a_stock_file_is_checked_then_imported_as_one_receipt_per_branch(tab, gateway, data_shop):
    page, shop = tab, data_shop
    salt, flour = shop["products"]["salt"], shop["products"]["flour"]
    branch, other, admin = shop["branch"], shop["other"], shop["admin"]
    sign_in(page, gateway, **shop["clerk"])
    go(page, "Importar")
    # a warehouse clerk imports stock only
    playwright.expect(page.locator("#import-tab-products")).to_have_count(0)
    header = "branch_code,sku,quantity,unit_cost\n"
    choose_file(page, "stock.csv", header + f"{branch['code']},{salt['sku']},5,2.00\n"
                                            f"{other['code']},{salt['sku']},5,\n"
                                            f"NOPE-{shop['tag']},{flour['sku']},1,\n"
                                            f"{branch['code']},{flour['sku']},0,\n")
    page.get_by_role("button", name="Revisar archivo").click()
    playwright.expect(page.locator("#import-status")).to_contain_text("3 error")
    assert faults(page) == [("3", "branch_code"), ("4", "branch_code"), ("5", "quantity")]
    playwright.expect(page.locator("#import-report")).to_contain_text("not one of your branches")
    shot(page, "import-stock-dry-run-errors.png")

    choose_file(page, "stock.csv", header + f"{branch['code']},{salt['sku']},5,2.00\n{branch['code']},{flour['sku']},7,\n")
    page.get_by_role("button", name="Revisar archivo").click()
    playwright.expect(page.locator("#import-status")).to_contain_text("sin errores")
    playwright.expect(page.locator("#import-report tbody tr")).to_have_count(1)
    assert admin.call("GET", f"/api/inventory/stock/{branch['id']}/{salt['id']}/")["quantity"] == 40
    page.get_by_role("button", name="Importar", exact=True).click()
    playwright.expect(page.locator("#import-status")).to_have_text("Importación terminada.")
    number = page.locator("#import-report tbody tr td").nth(3).inner_text()
    assert re.fullmatch(r"RC-\d+", number), number
    shot(page, "import-stock-done.png")
    assert admin.call("GET", f"/api/inventory/stock/{branch['id']}/{salt['id']}/")["quantity"] == 45
    assert admin.call("GET", f"/api/inventory/stock/{branch['id']}/{flour['id']}/")["quantity"] == 47
    ledger = admin.call("GET", "/api/inventory/movements/", params={"branch": branch["id"], "reference": number})
    assert sorted(m["quantity"] for m in ledger["results"]) == [5, 7]


def test_the_product_report_is_shown_and_its_xlsx_export_holds_the_same_totals(tab, gateway, data_shop):
    page, shop = tab, data_shop
    salt, flour, branch, admin = shop["products"]["salt"], shop["products"]["flour"], shop["branch"], shop["admin"]
    admin.call("POST", "/api/sales/cash-sessions/", 201, headers=key(), json={"branch": branch["id"],
                                                                              "opening_float": "0.00"})
    sale = admin.call("POST", "/api/sales/", 201, headers=key(), json={
        "branch": branch["id"], "lines": [{"product": salt["id"], "quantity": 3}, {"product": flour["id"], "quantity": 2}],
        "payments": [{"method": "cash", "amount": "50.00"}]})
    sign_in(page, gateway, "admin", shop["password"])
    page.goto(f"{gateway}/#/reports?report=products&branch={branch['id']}")
    playwright.expect(page.locator("#report-totals")).to_be_visible()
    playwright.expect(page.locator(f"#report-results tr[data-product='{flour['id']}']")).to_contain_text("8,00")
    on_screen = page.locator("#report-total").inner_text()
    api_rows = admin.call("GET", "/api/sales/reports/products/", params={
        "branch": branch["id"], "date_from": sale["created_at"][:10], "date_to": sale["created_at"][:10]})["results"]
    total = sum(Decimal(r["total"]) for r in api_rows)
    assert on_screen.replace(".", "").replace(",", ".").strip() == str(total)
    shot(page, "report-products.png")

    with page.expect_download() as waiting:
        page.locator("#report-xlsx").click()
    download = waiting.value
    assert re.fullmatch(r".*\.xlsx", download.suggested_filename), download.suggested_filename
    playwright.expect(page.locator("#report-exported")).to_contain_text(download.suggested_filename)
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read()), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = {name: header.index(name) for name in header}
    assert {r[column["product"]]: int(r[column["quantity"]]) for r in rows} == {salt["id"]: 3, flour["id"]: 2}
    assert sum(Decimal(str(r[column["total"]])) for r in rows) == total == Decimal(sale["total"])

    # the valuation of the branch, and its CSV
    page.locator("#report-tab-valuation").click()
    playwright.expect(page.locator("#report-results")).to_contain_text(flour["name"])  # salt was renamed by the import
    with page.expect_download() as waiting:
        page.locator("#report-csv").click()
    assert waiting.value.suggested_filename.endswith(".csv")
