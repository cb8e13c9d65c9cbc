"""What the load test needs on a running stack: a real token, a branch, products with stock, the data scale."""
from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field

import requests

from .stack import Stack

STOCK_FLOOR = 200_000
SALE_BRANCHES = 10  # sales go to this many branches in turn


@dataclass
class Workload:
    token: str
    branch: int
    products: list[int]
    search_term: str
    scale: dict = field(default_factory=dict)
    report_date: str | None = None
    sale_branches: list[int] = field(default_factory=list)

    def sale_bodies(self) -> list[dict]:
        """One 3-line sale per branch: a branch numbers its sales one at a time, so cashiers spread over branches."""
        # cash overpayment is always accepted and answered with change, whatever the tax rounding
        return [{"branch": branch, "lines": [{"product": p, "quantity": 1} for p in self.products[:3]],
                 "payments": [{"method": "cash", "amount": "100000.00"}]} for branch in self.sale_branches]

    @property
    def products_in_catalogue(self) -> int:
        return int(self.scale.get("catalogue_size") or 0)


def login(stack: Stack) -> str:
    password, _ = stack.secrets.admin_password()
    answer = requests.post(stack.url() + "/api/auth/token/", json={"username": "admin", "password": password},
                           timeout=10)
    answer.raise_for_status()
    return answer.json()["access"]


def read_scale(stack: Stack) -> dict:
    """var/run/seed.json as bin/seed-data left it ({} for a stack with demo data only)."""
    path = stack.run_dir / "seed.json"
    return json.loads(path.read_text()) if path.exists() else {}


def prepare_workload(stack: Stack) -> Workload:
    token = login(stack)
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    gw = stack.url()
    scale = read_scale(stack)
    branches = [b["id"] for b in http.get(gw + f"/api/branches/?is_active=true&page_size={SALE_BRANCHES}",
                                          timeout=10).json()["results"]]
    products = http.get(gw + "/api/inventory/products/?page_size=3", timeout=10).json()["results"]
    if len(products) < 3:
        raise SystemExit("the load test needs at least 3 products: run bin/up with demo data or bin/seed-data")
    for branch in branches:
        for product in products:
            _ensure_stock(http, gw, branch, product["id"])
    scale["catalogue_size"] = _catalogue_size(http, gw)
    term = scale.get("search_term") or products[0]["name"].split()[0]
    return Workload(token, branches[0], [p["id"] for p in products], term, scale, scale.get("date"), branches)


def _catalogue_size(http: requests.Session, gw: str) -> int:
    """Products in the catalogue: the id of the newest one, found from the last page (ids grow by one)."""
    before_everything = base64.urlsafe_b64encode(b"b" + b"9" * 18).decode().rstrip("=")
    last = http.get(gw + f"/api/inventory/products/?page_size=1&cursor={before_everything}", timeout=10).json()
    return last["results"][0]["id"] if last["results"] else 0


def _ensure_stock(http: requests.Session, gw: str, branch: int, product: int) -> None:
    rows = http.get(gw + f"/api/inventory/stock/?branch={branch}&product={product}", timeout=10).json()["results"]
    have = rows[0]["quantity"] if rows else 0
    if have < STOCK_FLOOR:
        answer = http.post(gw + "/api/inventory/movements/", timeout=30,
                           headers={"Idempotency-Key": f"loadtest-{uuid.uuid4()}"},
                           json={"branch": branch, "product": product, "kind": "receipt",
                                 "quantity": 2 * STOCK_FLOOR, "note": "load test stock"})
        answer.raise_for_status()
