"""Helpers of the browser system tests: the public API as one user, signing in, the navigation, screenshots."""
from __future__ import annotations

import re
from pathlib import Path

import requests
from playwright import sync_api as playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15000


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
