"""Helpers of the browser system tests: Chromium and its tabs, the public API as one user, the scene (branches,
products, stock), signing in, the navigation, screenshots."""
from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests
from playwright import sync_api as playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15000
# window.print counted instead of opening the dialog, which headless Chromium would wait on
COUNT_PRINTS = "window.__prints = 0; window.print = () => { window.__prints += 1; };"


@contextmanager
def launched_chromium():
    """Debian's Chromium, headless, for one module's tests."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_tab(browser, *, height: int = 900, init_script: str | None = None, accept_dialogs: bool = False,
             **context_options):
    """A tab in a context of its own (Spanish, desktop size); a JavaScript error in the page fails the test."""
    context = browser.new_context(viewport={"width": 1366, "height": height}, locale="es-ES", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if accept_dialogs:
        page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


class Api:
    """The public API as one signed-in user (for setting the scene and checking outcomes)."""

    def __init__(self, base: str, username: str, password: str):
        self.base = base
        self.session = requests.Session()
        credentials = {"username": username, "password": password}
        answer = self.session.post(f"{base}/api/auth/token/", json=credentials, timeout=10)
        assert answer.status_code == 200, answer.text
        self.session.headers["Authorization"] = f"Bearer {answer.json()['access']}"

    def call(self, method: str, path: str, expect: int = 200, **kwargs):
        answer = self.session.request(method, f"{self.base}{path}", timeout=20, **kwargs)
        assert answer.status_code == expect, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None


def key() -> dict:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": uuid.uuid4().hex}


def new_products(admin: Api, tag: str, catalogue: dict[str, tuple], *, barcode_prefix: str = "775") -> dict[str, dict]:
    """Products by key, each `(label, price)` or `(label, price, tax_rate)`: SKU `<KEY>-<tag>`, barcode
    `<prefix><tag><01, 02…>` in the catalogue's order, name `<label> <tag>`."""
    products = {}
    for n, (name, (label, price, *rate)) in enumerate(catalogue.items(), start=1):
        body = {"sku": f"{name.upper()}-{tag}", "barcode": f"{barcode_prefix}{tag}{n:02d}", "name": f"{label} {tag}",
                "price": price, **({"tax_rate": rate[0]} if rate else {})}
        products[name] = admin.call("POST", "/api/inventory/products/", 201, json=body)
    return products


def stocked_branch(admin: Api, *, code: str, name: str, stock: dict[int, int] | None = None,
                   city: str = "Lima", **fields) -> dict:
    """A new branch (`fields`: address, receipt texts…) holding `stock` {product id: quantity}, put in by one receipt."""
    branch = admin.call("POST", "/api/branches/", 201, json={"code": code, "name": name, "city": city, **fields})
    if stock:
        admin.call("POST", "/api/inventory/receipts/", 201, headers=key(), json={
            "branch": branch["id"], "lines": [{"product": p, "quantity": q} for p, q in stock.items()]})
    return branch


def sign_in(page, gateway: str, username: str, password: str):
    page.goto(f"{gateway}/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    page.get_by_role("button", name="Cerrar sesión").wait_for()


def go(page, screen: str):
    """Open a screen from the main navigation."""
    page.get_by_role("navigation", name="Principal").get_by_role("link", name=screen, exact=True).click()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def sale_number(page) -> str:
    """The sale's number on its receipt, whose title is its legal document number (B001-00000001)."""
    playwright.expect(page.locator("#receipt-title")).to_contain_text(re.compile(r"Comprobante B\d{3}-\d{8}"))
    line = page.locator("#receipt p").filter(has_text=re.compile(r"^Venta \S+$"))
    return re.search(r"Venta (\S+)", line.inner_text()).group(1)
