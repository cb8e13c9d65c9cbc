"""The stock import: one receipt per branch, all rows or none, the dry run, branch codes and scope, the key."""
import csv
import io
from decimal import Decimal
from uuid import uuid4

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from catalog.models import Product
from stock.models import DocumentLine, Movement, Stock, StockDocument
from sis_common.idempotency.models import IdempotencyRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("known_branches")]
IMPORT = "/api/inventory/stock/import/"
HEADER = ["branch_code", "sku", "quantity", "unit_cost"]


def csv_file(rows, header=HEADER) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("stock.csv", out.getvalue().encode(), content_type="text/csv")


def post(client, upload, *, key: str | None = "", dry_run: bool = False):
    url = IMPORT + ("?dry_run=true" if dry_run else "")
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key or uuid4().hex}
    return client.post(url, {"file": upload}, format="multipart", **headers)


def stock(branch: int, product) -> int:
    row = Stock.objects.filter(branch_id=branch, product=product).first()
    return row.quantity if row else 0


def stored() -> tuple[int, int, int]:
    return StockDocument.objects.count(), DocumentLine.objects.count(), Movement.objects.count()


def test_one_receipt_per_branch_with_costs_averaged_over_both(admin_client, make_product, ledger_consistent):
    rice, oil = make_product(sku="RICE"), make_product(sku="OIL")
    response = post(admin_client, csv_file([
        ["SUC01", "RICE", "10", "5.00"], ["suc02", "RICE", "30", "6.00"], ["SUC01", "OIL", "4", ""],
    ]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rows"] == 3 and body["errors"] == []
    receipts = body["receipts"]
    assert [(r["branch"], r["branch_code"], r["lines"], r["quantity"]) for r in receipts] == [
        (1, "SUC01", 2, 14), (2, "SUC02", 1, 30)]
    for receipt in receipts:
        document = StockDocument.objects.get(pk=receipt["id"])
        assert (document.kind, document.reference, document.branch_id) == ("receipt", receipt["number"],
                                                                             receipt["branch"])
        assert set(Movement.objects.filter(document=document).values_list("reference", flat=True)) == {
            receipt["number"]}
    assert (stock(1, rice), stock(2, rice), stock(1, oil), stock(2, oil)) == (10, 30, 4, 0)
    # branch 1 first: 10 at 5.00, then 30 at 6.00 averaged over the 10 on hand
    assert Product.objects.get(pk=rice.pk).cost == Decimal("5.75")
    assert Product.objects.get(pk=oil.pk).cost == Decimal("0.00")
    ledger_consistent()


def test_dry_run_counts_and_stores_nothing(admin_client, make_product):
    make_product(sku="DRY")
    before = stored()
    response = post(admin_client, csv_file([["SUC03", "DRY", "7", "1.10"]]), key=None, dry_run=True)
    assert response.status_code == 200, response.content
    assert response.json() == {"rows": 1, "errors": [], "receipts": [
        {"branch": 3, "branch_code": "SUC03", "lines": 1, "quantity": 7, "id": None, "number": None}]}
    assert stored() == before


def test_one_bad_row_stores_nothing_and_every_fault_is_named(admin_client, make_product):
    make_product(sku="GOOD")
    make_product(sku="OFF", is_active=False)
    before = stored()
    response = post(admin_client, csv_file([
        ["SUC01", "GOOD", "5", ""],      # fine on its own
        ["SUC01", "GOOD", "1", ""],      # the same SKU at the same branch again
        ["", "GOOD", "1", ""],
        ["SUC01", "NOPE", "1", ""],
        ["SUC01", "OFF", "1", ""],
        ["SUC02", "GOOD", "0", ""],
        ["SUC02", "OTHER", "2.5", "abc"],
    ]))
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["code"], body["rows"], body["receipts"]) == ("import_invalid", 0, [])
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "sku"), (4, "branch_code"), (5, "sku"), (6, "sku"), (7, "quantity"), (8, "quantity"), (8, "unit_cost")]
    assert stored() == before


def test_wrong_columns_refuse_the_file(admin_client):
    response = post(admin_client, csv_file([["SUC01", "X", "1"]], header=["branch", "sku", "quantity"]))
    assert response.status_code == 400
    assert {(e["row"], e["column"]) for e in response.json()["errors"]} == {(1, "branch"), (1, "branch_code")}
    empty = admin_client.post(IMPORT, {}, format="multipart", HTTP_IDEMPOTENCY_KEY=uuid4().hex)
    assert (empty.status_code, empty.json()["code"]) == (400, "file_required")


def test_a_branch_outside_the_callers_scope_is_a_row_error(client_for, make_product):
    make_product(sku="SCOPE")
    warehouse = client_for("warehouse", branches=[1], user_id=7)
    before = stored()
    response = post(warehouse, csv_file([["SUC01", "SCOPE", "1", ""], ["SUC02", "SCOPE", "1", ""]]))
    assert response.status_code == 400, response.content
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(3, "branch_code")]
    assert "not one of your branches" in response.json()["errors"][0]["message"]
    assert stored() == before
    assert post(warehouse, csv_file([["SUC01", "SCOPE", "1", ""]])).status_code == 201


def test_cashiers_and_auditors_may_not_import(client_for, make_product):
    make_product(sku="ROLE")
    for role in ("cashier", "auditor"):
        response = post(client_for(role, branches=[1]), csv_file([["SUC01", "ROLE", "1", ""]]))
        assert response.status_code == 403, role


def test_the_key_is_required_and_a_replay_writes_nothing_again(admin_client, make_product):
    product = make_product(sku="KEY")
    upload = csv_file([["SUC01", "KEY", "3", ""]])
    assert post(admin_client, upload, key=None).json()["code"] == "idempotency_key_required"
    key = uuid4().hex
    first = post(admin_client, csv_file([["SUC01", "KEY", "3", ""]]), key=key)
    assert first.status_code == 201
    again = post(admin_client, csv_file([["SUC01", "KEY", "3", ""]]), key=key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert stock(1, product) == 3
    other = post(admin_client, csv_file([["SUC01", "KEY", "4", ""]]), key=key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert IdempotencyRecord.objects.filter(key=key).count() == 1


def test_xlsx_with_numbers_as_numbers(admin_client, make_product):
    product = make_product(sku="XL-1")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["SUC01", "XL-1", 12, 2.5])
    out = io.BytesIO()
    workbook.save(out)
    response = post(admin_client, SimpleUploadedFile("stock.xlsx", out.getvalue()))
    assert response.status_code == 201, response.content
    assert stock(1, product) == 12 and Product.objects.get(pk=product.pk).cost == Decimal("2.50")
