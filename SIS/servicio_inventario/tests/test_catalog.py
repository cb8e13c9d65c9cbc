"""Catalogue API: categories, products, validation, search, filters and keyset pages."""
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from sis_common.testing.internal import caller_credentials

pytestmark = pytest.mark.django_db


def test_admin_creates_category_and_product_with_public_shape(admin_client):
    category = admin_client.post("/api/inventory/categories/", {"name": "Bebidas"}, format="json")
    assert category.status_code == 201
    body = {"sku": "AGUA-1", "name": "Agua 625 ml", "price": "1.50", "barcode": "7750001",
            "category": category.json()["id"], "cost": "0.80"}
    created = admin_client.post("/api/inventory/products/", body, format="json")
    assert created.status_code == 201, created.content
    product = created.json()
    assert {"id", "sku", "barcode", "name", "category", "price", "is_active"} <= set(product)
    assert product["price"] == "1.50" and product["category"] == category.json()["id"]
    assert admin_client.get(f"/api/inventory/products/{product['id']}/").json() == product


def test_duplicate_sku_barcode_and_category_are_400(admin_client, make_product):
    make_product(sku="DUP-1", barcode="111")
    again = admin_client.post("/api/inventory/products/", {"sku": "DUP-1", "name": "x", "price": "1"}, format="json")
    assert again.status_code == 400 and "sku" in again.json()
    same_code = admin_client.post("/api/inventory/products/",
                                  {"sku": "DUP-2", "name": "x", "price": "1", "barcode": "111"}, format="json")
    assert same_code.status_code == 400 and "barcode" in same_code.json()
    admin_client.post("/api/inventory/categories/", {"name": "Única"}, format="json")
    assert admin_client.post("/api/inventory/categories/", {"name": "Única"}, format="json").status_code == 400


def test_products_without_barcode_may_be_many(admin_client):
    for sku in ("NB-1", "NB-2"):
        response = admin_client.post("/api/inventory/products/", {"sku": sku, "name": "x", "price": "1", "barcode": ""},
                                     format="json")
        assert response.status_code == 201 and response.json()["barcode"] is None


@pytest.mark.parametrize("body, field", [
    ({"sku": "V-1", "name": "x", "price": "abc"}, "price"),
    ({"sku": "V-1", "name": "x", "price": "1.234"}, "price"),
    ({"sku": "V-1", "name": "x", "price": "-1.00"}, "price"),
    ({"sku": "V-1", "name": "x", "price": "NaN"}, "price"),
    ({"sku": "V-1", "name": "x", "price": "1e400"}, "price"),
    ({"sku": "V-1", "name": "x", "price": "10000000000.00"}, "price"),
    ({"sku": "V-1", "name": "x", "price": "1", "cost": "x"}, "cost"),
    ({"sku": "V-1", "name": "x", "price": ["1"]}, "price"),
    ({"sku": "bad sku", "name": "x", "price": "1"}, "sku"),
    ({"sku": True, "name": "x", "price": "1"}, "sku"),
    ({"sku": {"a": 1}, "name": "x", "price": "1"}, "sku"),
    ({"name": "x", "price": "1"}, "sku"),
    ({"sku": "V-1", "price": "1"}, "name"),
    ({"sku": "V-1", "name": "x", "price": "1", "category": "uno"}, "category"),
    ({"sku": "V-1", "name": "x", "price": "1", "is_active": "quizá"}, "is_active"),
    ({"sku": "V-1", "name": "x", "price": "1", "tax_rate": "1.01"}, "tax_rate"),
    ({"sku": "V-1", "name": "x", "price": "1", "tax_rate": "-0.18"}, "tax_rate"),
    ({"sku": "V-1", "name": "x", "price": "1", "tax_rate": "18"}, "tax_rate"),
    ({"sku": "V-1", "name": "x", "price": "1", "tax_rate": "0.12345"}, "tax_rate"),
    ({"sku": "V-1", "name": "x", "price": "1", "tax_rate": 0.18}, "tax_rate"),
])
def test_invalid_product_is_400_with_field_message(admin_client, body, field):
    response = admin_client.post("/api/inventory/products/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]


def test_malformed_json_is_400(admin_client):
    response = admin_client.generic("POST", "/api/inventory/products/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("role", ["manager", "cashier", "warehouse", "auditor"])
def test_only_admin_edits_the_catalogue(client_for, make_product, role):
    client = client_for(role, branches=[1])
    product = make_product()
    assert client.post("/api/inventory/products/", {"sku": "R-1", "name": "x", "price": "1"},
                       format="json").status_code == 403
    assert client.patch(f"/api/inventory/products/{product.pk}/", {"price": "2"}, format="json").status_code == 403
    assert client.post("/api/inventory/categories/", {"name": "R"}, format="json").status_code == 403
    assert client.get(f"/api/inventory/products/{product.pk}/").status_code == 200


def test_a_new_product_without_a_tax_rate_takes_the_company_default(admin_client, company):
    company(default_tax_rate="0.1000")
    default = admin_client.post("/api/inventory/products/", {"sku": "TAX-D", "name": "x", "price": "1"}, format="json")
    assert default.status_code == 201, default.content
    assert default.json()["tax_rate"] == "0.1000"
    exempt = admin_client.post("/api/inventory/products/", {"sku": "TAX-0", "name": "x", "price": "1",
                                                            "tax_rate": "0"}, format="json")
    assert exempt.json()["tax_rate"] == "0.0000"
    full = admin_client.post("/api/inventory/products/", {"sku": "TAX-1", "name": "x", "price": "1",
                                                          "tax_rate": "1"}, format="json")
    assert full.json()["tax_rate"] == "1.0000"
    # a later change of the company default leaves existing products alone
    company(default_tax_rate="0.1800")
    assert admin_client.get(f"/api/inventory/products/{default.json()['id']}/").json()["tax_rate"] == "0.1000"
    listed = {p["sku"]: p["tax_rate"] for p in admin_client.get("/api/inventory/products/?search=TAX-").json()["results"]}
    assert listed == {"TAX-D": "0.1000", "TAX-0": "0.0000", "TAX-1": "1.0000"}


def test_patching_the_tax_rate_is_bounded(admin_client, make_product):
    product = make_product()
    url = f"/api/inventory/products/{product.pk}/"
    assert admin_client.patch(url, {"tax_rate": "0.08"}, format="json").json()["tax_rate"] == "0.0800"
    refused = admin_client.patch(url, {"tax_rate": "1.5", "price": "99.00"}, format="json")
    assert refused.status_code == 400 and "tax_rate" in refused.json()["fields"]
    after = admin_client.get(url).json()
    assert (after["tax_rate"], after["price"]) == ("0.0800", "10.00")


def test_without_sucursales_nor_a_last_answer_a_product_needs_its_tax_rate(admin_client, company, monkeypatch):
    from sis_common.sucursales_client import company_forget

    company_forget()
    monkeypatch.setenv("EWTTO_SUCURSALES_URL", "http://127.0.0.1:9")
    refused = admin_client.post("/api/inventory/products/", {"sku": "TAX-X", "name": "x", "price": "1"}, format="json")
    assert refused.status_code == 503 and refused.json()["code"] == "service_unavailable"
    given = admin_client.post("/api/inventory/products/", {"sku": "TAX-Y", "name": "x", "price": "1",
                                                           "tax_rate": "0.18"}, format="json")
    assert given.status_code == 201


def test_patch_product(admin_client, make_product):
    product = make_product(price="5.00")
    response = admin_client.patch(f"/api/inventory/products/{product.pk}/", {"price": "6.40", "is_active": False},
                                  format="json")
    assert response.status_code == 200
    assert response.json()["price"] == "6.40" and response.json()["is_active"] is False


def test_filters_by_category_and_active(admin_client, make_product):
    from catalog.services import category_create

    drinks = category_create(name="Filtros")
    a = make_product(category=drinks)
    b = make_product(category=drinks, is_active=False)
    make_product()

    def ids(query):
        response = admin_client.get(f"/api/inventory/products/{query}")
        assert response.status_code == 200
        return [p["id"] for p in response.json()["results"]]

    assert ids(f"?category={drinks.pk}") == [a.pk, b.pk]
    assert ids(f"?category={drinks.pk}&is_active=true") == [a.pk]
    assert admin_client.get("/api/inventory/products/?category=abc").status_code == 400


def test_keyset_pages_walk_forward_and_back(admin_client, make_product):
    from catalog.services import category_create

    group = category_create(name="Paginas")
    made = [make_product(category=group).pk for _ in range(7)]
    url = f"/api/inventory/products/?category={group.pk}&page_size=3"
    pages, seen = [], []
    while url:
        body = admin_client.get(url).json()
        assert set(body) == {"results", "next", "previous"}
        pages.append(body)
        seen += [p["id"] for p in body["results"]]
        url = body["next"]
    assert seen == made
    assert [len(p["results"]) for p in pages] == [3, 3, 1]
    assert pages[0]["previous"] is None
    back = admin_client.get(pages[2]["previous"]).json()
    assert [p["id"] for p in back["results"]] == made[3:6]
    first = admin_client.get(back["previous"]).json()
    assert [p["id"] for p in first["results"]] == made[:3]
    assert first["previous"] is None


@pytest.mark.parametrize("query", ["?cursor=zzz", "?cursor=YTEyYQ", "?page_size=0", "?page_size=201",
                                   "?page_size=x"])
def test_bad_page_parameters_are_400(admin_client, query):
    response = admin_client.get(f"/api/inventory/products/{query}")
    assert response.status_code == 400


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_search_by_name_words_sku_and_barcode(admin_client, make_product, replica_synced):
    # FULLTEXT indexes see committed rows only, hence a transactional test
    water = make_product(name="Agua mineral sin gas 625 ml", sku="SRCH-AGUA", barcode="7759999000011")
    cola = make_product(name="Gaseosa cola 500 ml", sku="SRCH-COLA", barcode="7759999000028")
    make_product(name="Arroz extra 1 kg", sku="OTRO-1")
    replica_synced()

    def ids(term):
        response = admin_client.get("/api/inventory/products/", {"search": term})
        assert response.status_code == 200
        return {p["id"] for p in response.json()["results"]}

    assert ids("mineral") == {water.pk}
    assert ids("agua min") == {water.pk}
    assert ids("GASEOSA") == {cola.pk}
    assert ids("srch-") == {water.pk, cola.pk}
    assert ids("7759999000028") == {cola.pk}
    assert ids("ag") == {water.pk}  # short terms: name prefix
    assert ids("zzzz-nada") == set()
    assert ids("+-*()~\"") == set()


def test_internal_products_by_ids(internal_client, make_product):
    a, b = make_product(price="3.30"), make_product(is_active=False)
    response = internal_client.get(f"/internal/inventory/products/?ids={b.pk},{a.pk},99999999")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [a.pk, b.pk]
    assert set(results[0]) == {"id", "sku", "barcode", "name", "price", "tax_rate", "is_active", "cost", "category"}
    assert results[0]["price"] == "3.30" and results[1]["is_active"] is False
    assert results[0]["cost"] == "0.00" and results[0]["category"] is None
    assert results[0]["tax_rate"] == "0.1800"


@pytest.mark.parametrize("query", ["", "?ids=", "?ids=a,b", "?ids=-1", "?ids=1;2", "?ids=" + ",".join(["1"] * 501)])
def test_internal_products_bad_ids_are_400(internal_client, query):
    response = internal_client.get(f"/internal/inventory/products/{query}")
    assert response.status_code == 400
    assert "ids" in response.json()


def test_internal_products_are_for_ventas_only(admin_client, make_product):
    product = make_product()
    url = f"/internal/inventory/products/?ids={product.pk}"
    assert admin_client.get(url).status_code == 401
    assert APIClient().get(url, **caller_credentials("gateway")).status_code == 403
    assert APIClient().get(url, **caller_credentials("ventas")).status_code == 200


@pytest.mark.parametrize(("role", "sees_cost"), [("admin", True), ("manager", True), ("warehouse", True),
                                                 ("cashier", False), ("auditor", False)])
def test_cost_is_shown_only_to_the_roles_that_buy_stock(client_for, make_product, role, sees_cost):
    product = make_product(sku=f"COST-{role}", cost=Decimal("0.80"))
    client = client_for(role, [1])
    listed = [p for p in client.get("/api/inventory/products/?search=COST-").json()["results"]
              if p["id"] == product.pk]
    one = client.get(f"/api/inventory/products/{product.pk}/").json()
    for shape in (listed[0], one):
        assert ("cost" in shape) is sees_cost, shape
        assert shape["price"]
    if sees_cost:
        assert one["cost"] == "0.80"


def test_an_unknown_category_is_400_unknown_category(admin_client):
    response = admin_client.post("/api/inventory/products/", {"sku": "V-1", "name": "x", "price": "1",
                                                              "category": 99999999}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "unknown_category" and "category" in response.json()["fields"]


@pytest.mark.parametrize("price", [1, 1.5, "", " 1", "+1", "-0", "01", "1.", ".5", "1e2", "1.234", "NaN", "Infinity"])
def test_money_is_a_decimal_string_exactly_as_the_schema_says(admin_client, price):
    response = admin_client.post("/api/inventory/products/", {"sku": "V-1", "name": "x", "price": price},
                                 format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and "price" in response.json()["fields"]
