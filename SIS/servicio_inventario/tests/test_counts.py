"""Stock counts: the snapshot, counting while the till sells, posting the differences to the ledger, bad input."""
from uuid import uuid4

import pytest

from catalog.models import Category
from counts.models import StockCount
from sis_common.testing.tokens import auth_header
from stock.models import Movement, Stock

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("known_branches")]
BRANCH, OTHER = 1, 2
COUNTS = "/api/inventory/counts/"


def keyed(key: str | None = None) -> dict:
    return {"format": "json", "HTTP_IDEMPOTENCY_KEY": key or uuid4().hex}


def stock(branch: int, product) -> int:
    row = Stock.objects.filter(branch_id=branch, product=product).first()
    return row.quantity if row else 0


def sell(internal_client, product, quantity: int, branch: int = BRANCH) -> None:
    """A sale through the internal stock-moves endpoint, as ventas moves it."""
    body = {"kind": "sale", "branch": branch, "reference": f"S-{uuid4().hex[:8]}",
            "lines": [{"product": product.pk, "quantity": quantity}]}
    response = internal_client.post("/internal/inventory/stock-moves/", body, **keyed(),
                                    **auth_header(role="cashier", branches=[branch], user_id=5))
    assert response.status_code == 201, response.content


def open_count(client, **body) -> dict:
    response = client.post(COUNTS, {"branch": BRANCH, **body}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def count_lines(client, count_id: int, lines: list[tuple]) -> dict:
    response = client.post(f"{COUNTS}{count_id}/lines/",
                           {"lines": [{"product": p.pk, "counted": n} for p, n in lines]}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def by_product(count: dict) -> dict[int, dict]:
    return {line["product"]: line for line in count["lines"]}


def test_count_with_sales_during_it(admin_client, internal_client, make_product, receive, ledger_consistent):
    before, after, short, untouched, never = (make_product() for _ in range(5))
    for product in (before, after, short, untouched):
        receive(BRANCH, product.pk, 10)
    count = open_count(admin_client, products=[p.pk for p in (before, after, short, untouched, never)])
    assert count["status"] == "open" and count["reference"] == f"CT-{count['id']}"
    assert {pk: (line["expected"], line["counted"]) for pk, line in by_product(count).items()} == {
        before.pk: (10, None), after.pk: (10, None), short.pk: (10, None), untouched.pk: (10, None),
        never.pk: (0, None)}
    # the till sells 3 of `before` before its shelf is counted: 7 are there, and 7 are counted
    sell(internal_client, before, 3)
    # `after` is counted first (10, all there) and then 2 are sold
    count_lines(admin_client, count["id"], [(after, 10)])
    sell(internal_client, after, 2)
    # `short`: 1 sold during the count, 8 found (1 missing); `never`: 4 found that the ledger never had
    sell(internal_client, short, 1)
    count_lines(admin_client, count["id"], [(before, 7), (short, 9), (never, 4)])
    shown = by_product(count_lines(admin_client, count["id"], [(short, 8)]))  # recounted: the last value wins
    assert {pk: (line["moved"], line["difference"]) for pk, line in shown.items()} == {
        before.pk: (-3, 0), after.pk: (0, 0), short.pk: (-1, -1), never.pk: (0, 4), untouched.pk: (None, None)}
    sell(internal_client, short, 2)  # sold after the counting: still taken
    posted = admin_client.post(f"{COUNTS}{count['id']}/post/", **keyed())
    assert posted.status_code == 200, posted.content
    assert posted.json()["status"] == "posted" and posted.json()["posted_at"]
    assert {p.pk: stock(BRANCH, p) for p in (before, after, short, untouched, never)} == {
        before.pk: 7, after.pk: 8, short.pk: 6, untouched.pk: 10, never.pk: 4}
    rows = Movement.objects.filter(reference=count["reference"]).order_by("product_id")
    assert [(m.product_id, m.kind, m.quantity) for m in rows] == [(short.pk, "count", -1), (never.pk, "count", 4)]
    assert {m.document_id for m in rows} == {posted.json()["document"]}
    ledger_consistent()
    listed = admin_client.get(f"/api/inventory/movements/?reference={count['reference']}&kind=count")
    assert len(listed.json()["results"]) == 2


def test_posting_twice_is_409_and_the_same_key_replays(admin_client, make_product, receive):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    count = open_count(admin_client, products=[product.pk])
    count_lines(admin_client, count["id"], [(product, 4)])
    first = admin_client.post(f"{COUNTS}{count['id']}/post/", **keyed("post-once"))
    replay = admin_client.post(f"{COUNTS}{count['id']}/post/", **keyed("post-once"))
    again = admin_client.post(f"{COUNTS}{count['id']}/post/", **keyed())
    assert first.status_code == replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert again.status_code == 409 and again.json()["code"] == "invalid_count_status"
    assert stock(BRANCH, product) == 4
    for late in (admin_client.post(f"{COUNTS}{count['id']}/lines/", {"lines": [{"product": product.pk, "counted": 1}]},
                                   format="json"),
                 admin_client.post(f"{COUNTS}{count['id']}/cancel/", format="json")):
        assert late.status_code == 409 and late.json()["code"] == "invalid_count_status"
    assert admin_client.post(f"{COUNTS}{count['id']}/post/", format="json").json()["code"] == \
        "idempotency_key_required"


def test_cancel_moves_nothing_and_frees_the_products(admin_client, make_product, receive):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    count = open_count(admin_client, products=[product.pk])
    overlapping = admin_client.post(COUNTS, {"branch": BRANCH, "products": [product.pk]}, format="json")
    assert overlapping.status_code == 409 and overlapping.json()["code"] == "count_overlaps"
    assert overlapping.json()["counts"] == [count["id"]]
    assert admin_client.post(COUNTS, {"branch": OTHER, "products": [product.pk]}, format="json").status_code == 201
    count_lines(admin_client, count["id"], [(product, 0)])
    cancelled = admin_client.post(f"{COUNTS}{count['id']}/cancel/", format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert stock(BRANCH, product) == 5 and not Movement.objects.filter(reference=count["reference"]).exists()
    assert admin_client.post(COUNTS, {"branch": BRANCH, "products": [product.pk]}, format="json").status_code == 201


def test_a_posting_that_would_go_below_zero_stores_nothing(admin_client, internal_client, make_product, receive):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    count = open_count(admin_client, products=[product.pk])
    count_lines(admin_client, count["id"], [(product, 1)])  # 4 missing
    sell(internal_client, product, 2)  # 3 left; posting -4 would leave -1
    refused = admin_client.post(f"{COUNTS}{count['id']}/post/", **keyed())
    assert refused.status_code == 409 and refused.json()["code"] == "insufficient_stock"
    assert StockCount.objects.get(pk=count["id"]).status == "open" and stock(BRANCH, product) == 3
    assert not Movement.objects.filter(reference=count["reference"]).exists()


def test_selection_by_category_or_everything(admin_client, make_product, receive):
    shelf = Category.objects.create(name="Bebidas de conteo")
    water, juice = make_product(category=shelf), make_product(category=shelf)
    retired = make_product(category=shelf, is_active=False)
    gone = make_product(category=shelf, is_active=False)
    receive(BRANCH, retired.pk, 2)
    count = open_count(admin_client, category=shelf.pk)
    assert count["category"] == shelf.pk
    assert sorted(by_product(count)) == sorted([water.pk, juice.pk, retired.pk])
    assert gone.pk not in by_product(count)
    everything = admin_client.post(COUNTS, {"branch": OTHER}, format="json")
    assert everything.status_code == 201
    assert {water.pk, juice.pk} <= set(by_product(everything.json())) and gone.pk not in by_product(everything.json())
    listed = admin_client.get(f"{COUNTS}?branch={BRANCH}&status=open").json()["results"]
    assert [(c["id"], c["lines_total"], c["lines_counted"]) for c in listed if c["id"] == count["id"]] == [
        (count["id"], 3, 0)]


@pytest.mark.parametrize("body, code", [
    ({"products": [99_999_999]}, "unknown_product"),
    ({"products": ["P", "P"]}, "duplicate_product"),
    ({"products": []}, "invalid"),
    ({"products": ["P"], "category": "C"}, "products_or_category"),
    ({"category": 99_999_999}, "unknown_category"),
    ({"category": "EMPTY"}, "empty_count"),
    ({"branch": 0}, "invalid"),
])
def test_bad_count_is_400_and_stores_nothing(admin_client, make_product, body, code):
    product = make_product()
    shelf, empty = Category.objects.create(name="Con algo"), Category.objects.create(name="Vacía")
    ids = {"P": product.pk, "C": shelf.pk, "EMPTY": empty.pk}
    body = {key: ([ids.get(v, v) for v in value] if isinstance(value, list) else ids.get(value, value))
            for key, value in body.items()}
    before = StockCount.objects.count()
    response = admin_client.post(COUNTS, {"branch": BRANCH, **body}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert StockCount.objects.count() == before


@pytest.mark.parametrize("lines, code", [
    ([{"product": "OUT", "counted": 1}], "not_in_count"),
    ([{"product": "IN", "counted": -1}], "invalid"),
    ([{"product": "IN", "counted": 1}, {"product": "IN", "counted": 2}], "duplicate_product"),
    ([], "invalid"),
])
def test_bad_lines_are_400_and_change_nothing(admin_client, make_product, lines, code):
    inside, outside = make_product(), make_product()
    count = open_count(admin_client, products=[inside.pk])
    ids = {"IN": inside.pk, "OUT": outside.pk}
    response = admin_client.post(f"{COUNTS}{count['id']}/lines/",
                                 {"lines": [{**line, "product": ids[line["product"]]} for line in lines]},
                                 format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    if code == "not_in_count":
        assert response.json()["products"] == [outside.pk]
    assert by_product(admin_client.get(f"{COUNTS}{count['id']}/").json())[inside.pk]["counted"] is None


def test_roles_and_branch_scope(client_for, admin_client, make_product):
    product = make_product()
    cashier, other_warehouse = client_for("cashier", branches=[BRANCH]), client_for("warehouse", branches=[OTHER])
    assert cashier.post(COUNTS, {"branch": BRANCH, "products": [product.pk]}, format="json").status_code == 403
    assert other_warehouse.post(COUNTS, {"branch": BRANCH, "products": [product.pk]},
                                format="json").status_code == 403
    warehouse = client_for("warehouse", branches=[BRANCH])
    count = open_count(warehouse, products=[product.pk])
    assert cashier.get(f"{COUNTS}{count['id']}/").status_code == 200
    assert other_warehouse.get(f"{COUNTS}{count['id']}/").status_code == 403
    assert other_warehouse.post(f"{COUNTS}{count['id']}/cancel/", format="json").status_code == 403
    assert cashier.post(f"{COUNTS}{count['id']}/lines/", {"lines": [{"product": product.pk, "counted": 1}]},
                        format="json").status_code == 403
    assert admin_client.get(f"{COUNTS}99999999/").status_code == 404
