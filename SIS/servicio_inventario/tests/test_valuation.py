"""The valuation report: stock at its moving average cost per product, its total, scope, CSV and XLSX."""
import csv
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from catalog.models import Product
from stock.models import Stock

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
URL = "/api/inventory/reports/valuation/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def stocked(make_product, receive):
    """Three products at branches 301 and 302, at costs 2.35, 0.10 and 0 (never received at a cost)."""
    a, b, c = make_product(), make_product(), make_product()
    Product.objects.filter(pk=a.pk).update(cost=D("2.35"))
    Product.objects.filter(pk=b.pk).update(cost=D("0.10"))
    receive(301, a.pk, 7)
    receive(302, a.pk, 3)
    receive(301, b.pk, 1001)
    receive(302, c.pk, 4)
    return a, b, c


def test_valuation_is_quantity_times_cost_and_totals_its_lines(client_for, stocked):
    a, b, c = stocked
    report = client_for("admin").get(URL).json()
    mine = [line for line in report["lines"] if line["product"] in (a.pk, b.pk, c.pk)]
    assert mine == [
        {"product": a.pk, "quantity": 10, "unit_cost": "2.35", "value": "23.50"},
        {"product": b.pk, "quantity": 1001, "unit_cost": "0.10", "value": "100.10"},
        {"product": c.pk, "quantity": 4, "unit_cost": "0.00", "value": "0.00"},
    ]
    assert D(report["total"]) == sum(D(line["value"]) for line in report["lines"])
    # the stock table the slow way: every row's quantity at its product's cost
    assert D(report["total"]) == sum(s.quantity * s.product.cost for s in Stock.objects.select_related("product"))
    one = client_for("admin").get(f"{URL}?branch=301").json()
    assert [(x["product"], x["value"]) for x in one["lines"]] == [(a.pk, "16.45"), (b.pk, "100.10")]
    assert one["total"] == "116.55"


def test_valuation_scope_and_roles(client_for, stocked):
    a, b, _ = stocked
    manager = client_for("manager", [301])
    assert manager.get(URL).json() == manager.get(f"{URL}?branch=301").json()
    assert manager.get(f"{URL}?branch=302").status_code == 403
    assert client_for("cashier", [301]).get(URL).status_code == 403
    assert client_for("warehouse", [301]).get(URL).status_code == 403
    assert client_for("auditor").get(f"{URL}?branch=302").json()["total"] == "7.05"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_valuation_files_read_back_as_the_json(client_for, stocked, fmt):
    client = client_for("admin")
    lines = client.get(f"{URL}?branch=301").json()["lines"]
    response = client.get(f"{URL}?branch=301&format={fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="valuation-branch-301.')
    if fmt == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
        assert rows == [{k: str(v) for k, v in line.items()} for line in lines]
    else:
        assert response["Content-Type"] == XLSX
        sheet = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
        header, *rows = list(sheet.iter_rows(values_only=True))
        assert header == ("product", "quantity", "unit_cost", "value")
        assert [(p, q, D(str(u)), D(str(v))) for p, q, u, v in rows] == [
            (x["product"], x["quantity"], D(x["unit_cost"]), D(x["value"])) for x in lines]


def test_valuation_bad_query_is_a_json_400(client_for):
    client = client_for("admin")
    for query in ("format=pdf", "format=", "branch=0", "branch=x", "format=csv&format=csv"):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 400 and response["Content-Type"] == "application/json", query
