"""The product and valuation reports through the gateway, with real sales and receipts, as JSON, CSV and XLSX.

The sale line keeps the cost inventory answered when the sale was priced: the
product report's cost is that cost, not the one after a later receipt.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal as D

from openpyxl import load_workbook

from sales_support import api, create_branch, create_product, new_key

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_product_and_valuation_reports_as_files(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    manager = api(stack, role="manager", branches=[branch], user_id=611)
    rice, oil = (create_product(admin, price, 0, branch) for price in ("12.50", "3.99"))
    admin.ok("post", "/api/inventory/receipts/", {"branch": branch, "lines": [
        {"product": rice, "quantity": 10, "unit_cost": "8.00"}, {"product": oil, "quantity": 20, "unit_cost": "2.10"}]},
        key=new_key("receipt"), expect=201)
    manager.ok("post", "/api/sales/cash-sessions/", {"branch": branch, "opening_float": "0.00"},
               key=new_key("open"), expect=201)
    sale = manager.ok("post", "/api/sales/", {"branch": branch, "lines": [
        {"product": rice, "quantity": 3}, {"product": oil, "quantity": 1}],
        "payments": [{"method": "cash", "amount": "60.00"}]}, key=new_key("sale"), expect=201)
    # a later receipt moves rice's average cost; the sale keeps the cost it was sold at
    admin.ok("post", "/api/inventory/receipts/", {"branch": branch, "lines": [
        {"product": rice, "quantity": 7, "unit_cost": "11.00"}]}, key=new_key("receipt"), expect=201)
    assert sale["status"] == "completed"
    day = sale["business_date"]

    query = {"branch": branch, "date_from": day, "date_to": day}
    report = manager.ok("get", "/api/sales/reports/products/", **query)["results"]
    by_product = {r["product"]: r for r in report}
    assert (by_product[rice]["quantity"], by_product[rice]["cost"]) == (3, "24.00")
    assert (by_product[oil]["quantity"], by_product[oil]["cost"]) == (1, "2.10")
    assert sum(D(r["total"]) for r in report) == D(sale["total"])
    assert all(D(r["margin"]) == D(r["net"]) - D(r["cost"]) for r in report)

    as_csv = manager.get("/api/sales/reports/products/", **query, format="csv")
    assert as_csv.status_code == 200 and as_csv.headers["Content-Type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig")))) == [
        {k: str(v) for k, v in r.items()} for r in report]
    as_xlsx = manager.get("/api/sales/reports/products/", **query, format="xlsx")
    assert as_xlsx.status_code == 200 and as_xlsx.headers["Content-Type"] == XLSX
    header, *rows = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).worksheets[0].iter_rows(
        values_only=True)
    assert sum(D(str(dict(zip(header, row))["total"])) for row in rows) == D(sale["total"])
    bad = manager.get("/api/sales/reports/products/", **query, format="pdf")
    assert bad.status_code == 400 and bad.headers["Content-Type"] == "application/json"

    # rice: 10 + 7 − 3 = 14 at (7 × 8.00 + 7 × 11.00) / 14 = 9.50; oil: 19 at 2.10
    valuation = manager.ok("get", "/api/inventory/reports/valuation/", branch=branch)
    assert valuation == {"lines": [
        {"product": rice, "quantity": 14, "unit_cost": "9.50", "value": "133.00"},
        {"product": oil, "quantity": 19, "unit_cost": "2.10", "value": "39.90"}], "total": "172.90"}
    filed = manager.get("/api/inventory/reports/valuation/", branch=branch, format="csv")
    assert list(csv.DictReader(io.StringIO(filed.content.decode("utf-8-sig")))) == [
        {k: str(v) for k, v in line.items()} for line in valuation["lines"]]
