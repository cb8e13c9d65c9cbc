"""The product report (its totals are the sale lines' less the returns') and every report as CSV and XLSX."""
import csv
import io
import random
from itertools import zip_longest
from collections import defaultdict
from decimal import Decimal as D

import pytest
from django.db import transaction
from openpyxl import load_workbook

from sales import services
from sales.models import SagaStatus, Sale, SaleLine, SaleReturn

from .builders import make_sale

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[dict]:
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    # a row's trailing empty cells are not stored: they read back as None
    return [dict(zip_longest(header, row)) for row in rows]


def as_text(value):
    """A value of the JSON or a cell read back, compared by what it says: a number by its value, null as empty."""
    if value is None or value == "":
        return ""
    try:
        return D(str(value))
    except ArithmeticError:
        return str(value)


def give_back(sale: Sale, lines: list[tuple[int, int]], key: str) -> None:
    created = services.return_create(request=services.ReturnRequest(
        sale_id=sale.pk, user_id=1, idempotency_key=key, request_hash="x", lines=lines, reason="",
        refund_method="cash"))
    with transaction.atomic():
        services.return_complete(sale_return=SaleReturn.objects.select_for_update().get(pk=created.pk),
                                 stock_move_id=1)


def test_product_report_equals_the_sum_of_its_lines_less_returns(client_for):
    rng = random.Random(20)
    costs = {p: f"{rng.randint(100, 900) / 100:.2f}" for p in range(1, 9)}
    sales = []
    for i in range(25):
        lines = [(p, f"{rng.randint(500, 3000) / 100:.2f}", rng.randint(1, 4)) for p in rng.sample(range(1, 9), 3)]
        sales.append(make_sale(branch_id=7, user_id=1, lines=lines, complete=i % 6 != 0, costs=costs,
                               categories={p: 1 + p % 2 for p in range(1, 9)}))
    make_sale(branch_id=8, user_id=1, lines=[(1, "50.00", 9)], costs=costs)  # another branch
    completed = [s for s in sales if s.status == SagaStatus.COMPLETED]
    give_back(completed[0], [(SaleLine.objects.filter(sale=completed[0]).first().product_id, 1)], "r1")
    day = completed[0].business_date
    report = client_for("manager", [7]).get(
        f"/api/sales/reports/products/?branch=7&date_from={day}&date_to={day}").json()

    expected = defaultdict(lambda: [0, D("0.00"), D("0.00"), D("0.00"), D("0.00")])
    for line in SaleLine.objects.filter(sale__branch_id=7, sale__status=SagaStatus.COMPLETED):
        row = expected[line.product_id]
        row[0] += line.quantity
        row[1] += line.net
        row[2] += line.tax
        row[3] += line.total
        row[4] += line.quantity * line.unit_cost
    back = SaleReturn.objects.get().lines.get()
    row = expected[back.product_id]
    row[0] -= back.quantity
    row[1] -= back.net
    row[2] -= back.tax
    row[3] -= back.total
    row[4] -= back.quantity * D(costs[back.product_id])
    got = {r["product"]: [r["quantity"], D(r["net"]), D(r["tax"]), D(r["total"]), D(r["cost"])]
           for r in report["results"]}
    assert got == dict(expected)
    assert all(D(r["margin"]) == D(r["net"]) - D(r["cost"]) for r in report["results"])
    assert all(r["sku"] == f"SKU{r['product']}" for r in report["results"])

    odd = client_for("admin").get(f"/api/sales/reports/products/?branch=7&category=2&date_from={day}&date_to={day}")
    assert {r["product"] for r in odd.json()["results"]} == {p for p in expected if p % 2 == 1}
    # a manager of branch 7 sees only it without asking; branch 8 is refused
    manager = client_for("manager", [7])
    unscoped = manager.get(f"/api/sales/reports/products/?date_from={day}&date_to={day}").json()
    assert unscoped["results"] == report["results"]
    assert manager.get(f"/api/sales/reports/products/?branch=8&date_from={day}&date_to={day}").status_code == 403


def test_lines_sold_without_a_cost_have_no_margin(client_for):
    make_sale(branch_id=9, user_id=1, lines=[(1, "10.00", 1), (2, "10.00", 1)], costs={1: "4.00"})
    make_sale(branch_id=9, user_id=1, lines=[(1, "10.00", 1)])
    day = Sale.objects.first().business_date
    rows = client_for("admin").get(f"/api/sales/reports/products/?branch=9&date_from={day}&date_to={day}").json()
    assert [(r["product"], r["cost"], r["margin"]) for r in rows["results"]] == [(1, None, None), (2, None, None)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_report_as_a_file_reads_back_as_its_json(client_for, fmt):
    make_sale(branch_id=11, user_id=1, lines=[(1, "10.00", 2), (2, "3.35", 1)], costs={1: "6.10", 2: "1.00"})
    make_sale(branch_id=11, user_id=2, lines=[(1, "10.00", 1)], costs={1: "6.10"}, payments=[("card", "11.80")])
    make_sale(branch_id=11, user_id=2, lines=[(3, "7.00", 1)])  # no cost known: empty cells
    day = Sale.objects.first().business_date
    client = client_for("auditor")
    read = csv_rows if fmt == "csv" else xlsx_rows
    urls = {
        "products": f"/api/sales/reports/products/?branch=11&date_from={day}&date_to={day}",
        "range": f"/api/sales/reports/range/?branch=11&date_from={day}&date_to={day}&group_by=cashier",
        "daily": f"/api/sales/reports/daily/?branch=11&date={day}",
    }
    for name, url in urls.items():
        answer = client.get(url).json()
        rows = [answer] if name == "daily" else answer["results"]
        flat = [{k: v for k, v in _flat(r).items()} for r in rows]
        filed = read(client.get(f"{url}&format={fmt}"))
        assert [{k: as_text(v) for k, v in r.items()} for r in filed] == [
            {k: as_text(v) for k, v in r.items()} for r in flat], name
    assert len(read(client.get(urls["products"] + f"&format={fmt}"))) == 3


def _flat(row: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        elif not isinstance(value, list):
            out[f"{prefix}{key}"] = value
    return out


def test_xlsx_holds_numbers_and_a_bad_format_is_a_400(client_for):
    make_sale(branch_id=12, user_id=1, lines=[(1, "10.00", 2)], costs={1: "6.10"})
    day = Sale.objects.first().business_date
    client = client_for("admin")
    url = f"/api/sales/reports/products/?branch=12&date_from={day}&date_to={day}"
    (row,) = xlsx_rows(client.get(url + "&format=xlsx"))
    assert (row["quantity"], row["net"], row["cost"], row["margin"]) == (2, 20, 12.2, 7.8)
    for bad in ("pdf", "", "CSV"):
        response = client.get(f"{url}&format={bad}")
        assert response.status_code == 400 and response["Content-Type"] == "application/json"
        assert "format" in response.json()
    assert client.get(url + "&format=csv&format=xlsx").status_code == 400
    # a file asks no more of the caller's scope than its JSON
    assert client_for("manager", [1]).get(url + "&format=csv").status_code == 403
    # an Accept header does not turn an asked-for file into a 406
    assert client.get(url + "&format=csv", HTTP_ACCEPT="application/json").status_code == 200


def test_text_cells_are_never_formulas_and_a_sheet_has_a_row_limit(monkeypatch):
    from sis_common import exports
    from sis_common.errors import DomainError

    columns = [exports.Column("name"), exports.Column("total", "money")]
    rows = [{"name": "=HYPERLINK(\"http://x\")", "total": "-1.50"}, {"name": "@SUM(A1)", "total": None}]
    sheet = load_workbook(io.BytesIO(body(exports.export_response(name="t", fmt="xlsx", columns=columns,
                                                                  rows=rows)))).worksheets[0]
    assert [(c.value, c.data_type) for c in sheet["A"]][1:] == [(rows[0]["name"], "s"), (rows[1]["name"], "s")]
    assert [c.value for c in sheet["B"]][1:] == [-1.5, None]
    text = body(exports.export_response(name="t", fmt="csv", columns=columns, rows=rows)).decode("utf-8")
    assert text == "\ufeffname,total\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-1.50\r\n'@SUM(A1),\r\n"
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    with pytest.raises(DomainError) as refused:
        exports.export_response(name="t", fmt="xlsx", columns=columns, rows=rows)
    assert refused.value.detail.code == "export_too_large"
