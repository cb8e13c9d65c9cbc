"""Receipts and adjustments: many lines, one transaction, one number on every ledger row, the moving average cost."""
from decimal import Decimal
from uuid import uuid4

import pytest

from catalog.models import Product
from stock.models import DocumentLine, Movement, Stock, StockDocument
from stock.costing import average_cost

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("known_branches")]
BRANCH, OTHER = 1, 2
RECEIPTS, ADJUSTMENTS = "/api/inventory/receipts/", "/api/inventory/adjustments/"


def keyed(key: str | None = None) -> dict:
    return {"format": "json", "HTTP_IDEMPOTENCY_KEY": key or uuid4().hex}


def stock(branch: int, product) -> int:
    row = Stock.objects.filter(branch_id=branch, product=product).first()
    return row.quantity if row else 0


def cost(product) -> Decimal:
    return Product.objects.get(pk=product.pk).cost


def test_receipt_of_many_lines_is_one_document_with_its_number_on_every_ledger_row(admin_client, make_product,
                                                                                  ledger_consistent):
    a, b = make_product(), make_product()
    body = {"branch": BRANCH, "supplier_ref": "GR-77", "note": "camión 2",
            "lines": [{"product": a.pk, "quantity": 10, "unit_cost": "2.50"}, {"product": b.pk, "quantity": 3}]}
    response = admin_client.post(RECEIPTS, body, **keyed())
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["number"] == f"RC-{answer['id']}" and answer["branch"] == BRANCH
    assert (answer["supplier_ref"], answer["note"], answer["user"]) == ("GR-77", "camión 2", 1)
    assert answer["lines"] == [{"product": a.pk, "quantity": 10, "unit_cost": "2.50"},
                               {"product": b.pk, "quantity": 3, "unit_cost": None}]
    rows = Movement.objects.filter(document_id=answer["id"]).order_by("id")
    assert [(m.product_id, m.kind, m.quantity, m.reference) for m in rows] == [
        (a.pk, "receipt", 10, answer["number"]), (b.pk, "receipt", 3, answer["number"])]
    assert (stock(BRANCH, a), stock(BRANCH, b)) == (10, 3)
    ledger_consistent()
    assert admin_client.get(f"{RECEIPTS}{answer['id']}/").json() == answer
    by_reference = admin_client.get(f"/api/inventory/movements/?reference={answer['number']}").json()["results"]
    assert sorted(r["product"] for r in by_reference) == [a.pk, b.pk]


def test_adjustment_takes_and_adds_with_its_reason(admin_client, make_product, receive, ledger_consistent):
    broken, found = make_product(), make_product()
    receive(BRANCH, broken.pk, 5)
    body = {"branch": BRANCH, "reason": "damage",
            "lines": [{"product": broken.pk, "quantity": -2}, {"product": found.pk, "quantity": 1}]}
    response = admin_client.post(ADJUSTMENTS, body, **keyed())
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["number"] == f"AJ-{answer['id']}" and answer["reason"] == "damage"
    assert answer["lines"] == [{"product": broken.pk, "quantity": -2}, {"product": found.pk, "quantity": 1}]
    assert (stock(BRANCH, broken), stock(BRANCH, found)) == (3, 1)
    assert set(Movement.objects.filter(reference=answer["number"]).values_list("kind", flat=True)) == {"adjustment"}
    ledger_consistent()


def test_one_line_short_stores_nothing_and_names_the_lines(admin_client, make_product, receive):
    enough, short, found = make_product(), make_product(), make_product()
    receive(BRANCH, enough.pk, 5)
    receive(BRANCH, short.pk, 1)
    documents_before, movements_before = StockDocument.objects.count(), Movement.objects.count()
    body = {"branch": BRANCH, "reason": "theft", "lines": [
        {"product": enough.pk, "quantity": -5}, {"product": short.pk, "quantity": -2},
        {"product": found.pk, "quantity": 3}]}
    response = admin_client.post(ADJUSTMENTS, body, **keyed())
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "insufficient_stock"
    assert response.json()["lines"] == [{"branch": BRANCH, "product": short.pk, "requested": 2, "available": 1}]
    assert (StockDocument.objects.count(), Movement.objects.count()) == (documents_before, movements_before)
    assert not DocumentLine.objects.filter(product__in=[enough, short, found]).exists()
    assert (stock(BRANCH, enough), stock(BRANCH, short), stock(BRANCH, found)) == (5, 1, 0)


def test_same_key_replays_the_document_and_moves_stock_once(admin_client, make_product):
    product = make_product()
    body = {"branch": BRANCH, "lines": [{"product": product.pk, "quantity": 4, "unit_cost": "1.00"}]}
    first = admin_client.post(RECEIPTS, body, **keyed("receipt-once"))
    again = admin_client.post(RECEIPTS, body, **keyed("receipt-once"))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert stock(BRANCH, product) == 4 and StockDocument.objects.filter(kind="receipt", lines__product=product).count() == 1
    other = admin_client.post(RECEIPTS, {**body, "note": "otra"}, **keyed("receipt-once"))
    assert other.status_code == 422


def test_key_is_required(admin_client, make_product):
    body = {"branch": BRANCH, "lines": [{"product": make_product().pk, "quantity": 1}]}
    for url in (RECEIPTS, ADJUSTMENTS):
        response = admin_client.post(url, {**body, "reason": "loss"}, format="json")
        assert response.status_code == 400 and response.json()["code"] == "idempotency_key_required"


# The moving average, worked by hand: one cost per product, over what every branch holds.
#  step                               on hand before  cost before  in  at     cost after
#  receipt at 1: 10 at 5.00                 0           0.00      10  5.00   5.00
#  receipt at 2: 30 at 6.00                10           5.00      30  6.00   (50+180)/40      = 5.75
#  sale of 20 at 2 (no change)             40           5.75       -    -    5.75
#  receipt at 1: 10 without a cost         20           5.75      10    -    5.75
#  receipt at 2: 10 at 7.00                30           5.75      10  7.00   (172.5+70)/40    = 6.0625 → 6.06
#  sale of 40 (all) at 1 and 2, then
#  receipt at 1: 5 at 4.00                  0           6.06       5  4.00   4.00
#  receipt at 2: 3 at 1.00                  5           4.00       3  1.00   (20+3)/8         = 2.875 → 2.88
COST_TABLE = [
    ("receipt", BRANCH, 10, "5.00", "5.00"),
    ("receipt", OTHER, 30, "6.00", "5.75"),
    ("sale", OTHER, 20, None, "5.75"),
    ("receipt", BRANCH, 10, None, "5.75"),
    ("receipt", OTHER, 10, "7.00", "6.06"),
    ("sale", BRANCH, 0, None, "6.06"),  # sells all of branch 1 (0 means "what is there")
    ("sale", OTHER, 0, None, "6.06"),
    ("receipt", BRANCH, 5, "4.00", "4.00"),
    ("receipt", OTHER, 3, "1.00", "2.88"),
]


def test_moving_average_cost_by_hand(admin_client, internal_client, make_product):
    from sis_common.testing.tokens import auth_header

    product = make_product(cost=Decimal("0.00"))
    for step, (kind, branch, quantity, unit_cost, expected) in enumerate(COST_TABLE):
        if kind == "receipt":
            line = {"product": product.pk, "quantity": quantity}
            if unit_cost:
                line["unit_cost"] = unit_cost
            response = admin_client.post(RECEIPTS, {"branch": branch, "lines": [line]}, **keyed())
        else:
            body = {"kind": "sale", "branch": branch, "reference": f"S-{step}",
                    "lines": [{"product": product.pk, "quantity": quantity or stock(branch, product)}]}
            response = internal_client.post("/internal/inventory/stock-moves/", body, **keyed(),
                                            **auth_header(role="cashier", branches=[branch], user_id=3))
        assert response.status_code == 201, (step, response.content)
        assert cost(product) == Decimal(expected), step
    assert stock(BRANCH, product) == 5 and stock(OTHER, product) == 3


def test_average_cost_rounds_half_up_to_the_cent():
    assert average_cost(on_hand=2, cost=Decimal("1.00"), quantity=1, unit_cost=Decimal("1.01")) == Decimal("1.00")
    assert average_cost(on_hand=1, cost=Decimal("1.00"), quantity=1, unit_cost=Decimal("1.01")) == Decimal("1.01")
    assert average_cost(on_hand=0, cost=Decimal("9.99"), quantity=7, unit_cost=Decimal("0.00")) == Decimal("0.00")


def test_lists_filter_by_branch_and_date_newest_first(admin_client, client_for, make_product):
    product = make_product()
    made = [admin_client.post(RECEIPTS, {"branch": branch, "lines": [{"product": product.pk, "quantity": 1}]},
                              **keyed()).json()["id"] for branch in (BRANCH, OTHER, BRANCH)]
    ids = [r["id"] for r in admin_client.get(f"{RECEIPTS}?branch={BRANCH}").json()["results"] if r["id"] in made]
    assert ids == [made[2], made[0]]
    today = StockDocument.objects.get(pk=made[0]).created_at.date()
    on_day = admin_client.get(f"{RECEIPTS}?date_from={today}&date_to={today}").json()["results"]
    assert set(made) <= {r["id"] for r in on_day}
    day_before = today.fromordinal(today.toordinal() - 1)
    assert admin_client.get(f"{RECEIPTS}?date_to={day_before}").json()["results"] == []
    assert admin_client.get(f"{RECEIPTS}?date_from={today}&date_to={day_before}").status_code == 400
    mine = client_for("warehouse", branches=[OTHER])
    assert {r["branch"] for r in mine.get(RECEIPTS).json()["results"]} == {OTHER}
    assert mine.get(f"{RECEIPTS}{made[0]}/").status_code == 403
    assert mine.get(f"{RECEIPTS}?branch={BRANCH}").status_code == 403
    assert admin_client.get(f"{ADJUSTMENTS}{made[0]}/").status_code == 404  # a receipt is not an adjustment


def test_movements_filter_by_dates_and_reference(admin_client, make_product, receive):
    product = make_product()
    receive(BRANCH, product.pk, 2)
    today = Movement.objects.filter(product=product).get().created_at.date()
    url = f"/api/inventory/movements/?product={product.pk}"
    assert len(admin_client.get(f"{url}&date_from={today}&date_to={today}").json()["results"]) == 1
    assert admin_client.get(f"{url}&date_from={today.fromordinal(today.toordinal() + 1)}").json()["results"] == []
    assert len(admin_client.get(f"{url}&reference=test").json()["results"]) == 1
    assert admin_client.get(f"{url}&reference=other").json()["results"] == []
    assert len(admin_client.get(f"{url}&date_from=0001-01-01&date_to=9999-12-31").json()["results"]) == 1
    for bad in ("date_from=2026-13-01", "date_to=yesterday", "reference=", f"date_from={today}&date_to=2000-01-01"):
        assert admin_client.get(f"{url}&{bad}").status_code == 400, bad


@pytest.mark.parametrize("url, lines, code", [
    (RECEIPTS, [{"product": "P", "quantity": 0}], "invalid"),
    (RECEIPTS, [{"product": "P", "quantity": -1}], "invalid"),
    (RECEIPTS, [{"product": "P", "quantity": 1_000_000_001}], "invalid"),
    (RECEIPTS, [{"product": "P", "quantity": 1, "unit_cost": "-1"}], "invalid"),
    (RECEIPTS, [{"product": "P", "quantity": 1, "unit_cost": 2.5}], "invalid"),
    (RECEIPTS, [{"product": "P", "quantity": 1, "unit_cost": ""}], "invalid"),
    (RECEIPTS, [{"product": "P", "quantity": 1, "unit_cost": None}], "invalid"),
    (RECEIPTS, [{"product": "P", "quantity": 1}, {"product": "P", "quantity": 2}], "duplicate_product"),
    (RECEIPTS, [{"product": 99_999_999, "quantity": 1}], "unknown_product"),
    (RECEIPTS, [{"product": "INACTIVE", "quantity": 1}], "inactive_product"),
    (RECEIPTS, [], "invalid"),
    (ADJUSTMENTS, [{"product": "P", "quantity": 0}], "zero_quantity"),
    (ADJUSTMENTS, [{"product": "P", "quantity": -1_000_000_001}], "invalid"),
    (ADJUSTMENTS, [{"product": "INACTIVE", "quantity": -1}], "inactive_product"),
])
def test_bad_lines_are_400_and_store_nothing(admin_client, make_product, url, lines, code):
    product, inactive = make_product(), make_product(is_active=False)
    ids = {"P": product.pk, "INACTIVE": inactive.pk}
    lines = [{**line, "product": ids.get(line["product"], line["product"])} for line in lines]
    before = (StockDocument.objects.count(), Movement.objects.count())
    response = admin_client.post(url, {"branch": BRANCH, "reason": "correction", "lines": lines}, **keyed())
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert (StockDocument.objects.count(), Movement.objects.count()) == before


def test_bad_reason_and_branch(admin_client, make_product):
    line = [{"product": make_product().pk, "quantity": 1}]
    assert admin_client.post(ADJUSTMENTS, {"branch": BRANCH, "reason": "gift", "lines": line},
                             **keyed()).status_code == 400
    assert admin_client.post(ADJUSTMENTS, {"branch": BRANCH, "lines": line}, **keyed()).status_code == 400
    assert admin_client.post(RECEIPTS, {"branch": 0, "lines": line}, **keyed()).status_code == 400


@pytest.mark.parametrize("role, branches, status", [
    ("warehouse", [BRANCH], 201), ("manager", [BRANCH], 201), ("warehouse", [OTHER], 403),
    ("cashier", [BRANCH], 403), ("auditor", None, 403),
])
def test_who_may_write_documents(client_for, make_product, role, branches, status):
    client = client_for(role, branches=branches)
    line = [{"product": make_product().pk, "quantity": 1}]
    assert client.post(RECEIPTS, {"branch": BRANCH, "lines": line}, **keyed()).status_code == status
    assert client.post(ADJUSTMENTS, {"branch": BRANCH, "reason": "correction", "lines": line},
                       **keyed()).status_code == status
