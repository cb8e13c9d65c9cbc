"""The product import and export: CSV and XLSX, all rows or none, the dry run, the error body, the round trip."""
import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from catalog.models import Category, Product, ProductWord
from catalog.tables import MAX_UPLOAD_BYTES

pytestmark = pytest.mark.django_db
IMPORT, EXPORT = "/api/inventory/products/import/", "/api/inventory/products/export/"
HEADER = ["sku", "name", "barcode", "category", "price", "cost", "tax_rate", "is_active"]


def csv_file(rows: list[list[str]], header=HEADER, name="products.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows: list[list], header=HEADER) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("products.xlsx", out.getvalue(), content_type="application/octet-stream")


def post(client, upload, **query):
    url = IMPORT + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(url, {"file": upload}, format="multipart")


def test_csv_creates_and_updates_by_sku_in_one_go(admin_client, make_product):
    known = make_product(sku="A-1", name="Old name", price="1.00")
    response = post(admin_client, csv_file([
        ["A-1", "Arroz extra 1kg", "7750001", "Abarrotes", "4.50", "3.10", "0.18", "true"],
        ["B-2", "Azúcar rubia", "", "abarrotes", "3,20", "", "", ""],
        ["C-3", "Agua", "", "", "1.00", "0.40", "0", "no"],
    ]))
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 1, "unchanged": 0, "errors": []}
    known.refresh_from_db()
    assert (known.name, known.barcode, known.category.name, known.price, known.cost, known.tax_rate) == (
        "Arroz extra 1kg", "7750001", "Abarrotes", Decimal("4.50"), Decimal("3.10"), Decimal("0.1800"))
    sugar, water = Product.objects.get(sku="B-2"), Product.objects.get(sku="C-3")
    assert sugar.category == known.category and sugar.price == Decimal("3.20") and sugar.tax_rate == Decimal("0.1800")
    assert (water.is_active, water.tax_rate, water.category) == (False, Decimal("0.0000"), None)
    # the name search index follows: the new names' words, not the old one's
    assert set(ProductWord.objects.filter(product=known).values_list("word", flat=True)) >= {"arroz", "extra"}
    assert not ProductWord.objects.filter(product=known, word="old").exists()
    assert admin_client.get("/api/inventory/products/", {"search": "azucar"}).json()["results"][0]["sku"] == "B-2"


def test_one_bad_row_stores_nothing_and_every_fault_is_named(admin_client, make_product):
    make_product(sku="KEEP", name="Kept", price="2.00")
    make_product(sku="OWNER", name="Owner", price="2.00", barcode="999")
    before = (Product.objects.count(), Category.objects.count())
    response = post(admin_client, csv_file([
        ["KEEP", "Renamed", "", "Nueva", "2.00", "", "", ""],  # fine on its own
        ["N-1", "Nuevo", "", "", "abc", "", "", ""],
        ["N-2", "Nuevo 2", "", "", "1.00", "", "1.5", "maybe"],
        ["N-1", "Again", "", "", "1.00", "", "", ""],
        ["N-3", "Barcode taken", "999", "", "1.00", "", "", ""],
        ["bad sku!", "", "", "", "1.00", "-1", "", ""],
    ]))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "import_invalid" and (body["created"], body["updated"], body["unchanged"]) == (0, 0, 0)
    faults = {(e["row"], e["column"]) for e in body["errors"]}
    assert faults == {(3, "price"), (4, "tax_rate"), (4, "is_active"), (5, "sku"), (6, "barcode"),
                      (7, "sku"), (7, "name"), (7, "cost")}
    assert "row 3" in next(e["message"] for e in body["errors"] if e["row"] == 5)
    assert (Product.objects.count(), Category.objects.count()) == before
    assert Product.objects.get(sku="KEEP").name == "Kept"


@pytest.mark.parametrize("header, column", [
    (["sku", "name", "price", "colour"], "colour"),
    (["sku", "name"], "price"),
    (["sku", "name", "price", "price"], "price"),
])
def test_a_wrong_header_refuses_the_file(admin_client, header, column):
    response = post(admin_client, csv_file([["X", "Y", "1.00", "z"][:len(header)]], header=header))
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(1, column)]
    assert not Product.objects.exists()


def test_dry_run_counts_and_stores_nothing(admin_client, make_product):
    make_product(sku="SAME", name="Same", price="1.00", cost=Decimal("0.50"), tax_rate=Decimal("0.18"))
    upload = csv_file([["SAME", "Same", "", "", "1.00", "0.50", "0.1800", "true"],
                       ["NEW", "New", "", "Cat nueva", "2.00", "", "", ""]])
    response = post(admin_client, upload, dry_run="true")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 1, "errors": []}
    assert Product.objects.count() == 1 and not Category.objects.exists()


def test_xlsx_with_numeric_cells(admin_client):
    response = post(admin_client, xlsx_file([[1001, "Leche", 7750002, "Lácteos", 3.5, 2, 0.18, True],
                                             ["L-2", "Yogur", None, None, "4.10", None, None, False]]))
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    milk = Product.objects.get(sku="1001")
    assert (milk.barcode, milk.price, milk.cost, milk.tax_rate) == ("7750002", Decimal("3.50"), Decimal("2.00"),
                                                                    Decimal("0.1800"))
    assert Product.objects.get(sku="L-2").is_active is False


@pytest.mark.parametrize("content", [b"PK\x03\x04not a zip", b"\xff\xfe\x00bad", b"", b"sku,name,price\n\"open"])
def test_unreadable_files_are_400(admin_client, content):
    response = post(admin_client, SimpleUploadedFile("x.csv", content))
    assert response.status_code == 400, response.content
    assert response.json()["errors"]


def test_limits_and_roles(admin_client, client_for):
    big = SimpleUploadedFile("big.csv", b"sku,name,price\n" + b"x" * (MAX_UPLOAD_BYTES + 1))
    response = post(admin_client, big)
    assert (response.status_code, response.json()["code"]) == (413, "file_too_large")
    # just under the declared-length bound: read, then refused by the file's own size
    edge = SimpleUploadedFile("edge.csv", b"sku,name,price\n" + b"x" * (MAX_UPLOAD_BYTES + 1000))
    assert post(admin_client, edge).status_code == 413
    assert admin_client.post(IMPORT, {}, format="multipart").status_code == 400
    # a part sent without a filename is read as the file
    as_field = admin_client.post(IMPORT + "?dry_run=true", {"file": "sku,name,price\nF-1,Campo,1.00\n"},
                                 format="multipart")
    assert as_field.json()["created"] == 1, as_field.content
    assert admin_client.post(IMPORT, {"file": "x"}, format="json").status_code == 415
    for role in ("manager", "cashier", "auditor"):
        assert post(client_for(role, branches=[1]), csv_file([["A", "B", "", "", "1.00", "", "", ""]])).status_code \
            == 403
    assert not Product.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_round_trip_leaves_every_product_unchanged(admin_client, make_product, fmt):
    cat = Category.objects.create(name="Bebidas")
    make_product(sku="R-1", name="Cola, 1.5 L \"retornable\"", price="5.00", barcode="123", category=cat,
                 cost=Decimal("3.33"), tax_rate=Decimal("0.18"))
    make_product(sku="R-2", name="Ñoquis", price="0.00", tax_rate=Decimal("0"), is_active=False)
    make_product(sku="007", name="=HYPERLINK(\"http://x\")", price="1.10")
    response = admin_client.get(EXPORT, {"format": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if fmt == "xlsx":
        rows = [list(r) for r in load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == HEADER and [r[0] for r in rows[1:]] == ["R-1", "R-2", "007"]
    assert rows[1][3:8] == ["Bebidas", "5.00", "3.33", "0.1800", "true"]
    assert rows[3][1] == '=HYPERLINK("http://x")'
    if fmt == "xlsx":  # text, not a live formula
        assert load_workbook(io.BytesIO(content)).active["B4"].data_type == "s"
    upload = SimpleUploadedFile(f"products.{fmt}", content)
    again = post(admin_client, upload)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 3, "errors": []}


def test_export_leaves_cost_out_for_a_cashier(client_for, make_product):
    make_product(sku="C-1", price="2.00", cost=Decimal("1.00"))
    response = client_for("cashier", branches=[1]).get(EXPORT)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "cost" not in rows[0] and len(rows) == 2
    assert client_for("cashier", branches=[1]).get(EXPORT, {"format": "pdf"}).status_code == 400


def test_xlsx_export_of_a_name_with_control_characters(admin_client, make_product):
    # XML 1.0 cannot hold most control characters: the file marks each with U+FFFD instead of failing
    make_product(sku="CTL-1", name="Agua\x01\x1f sin gas", price="1.50")
    response = admin_client.get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][:2] == ["CTL-1", "Agua\ufffd\ufffd sin gas"]
