"""POST /internal/inventory/stock-moves/: the sales service's document moves, idempotent by key."""
import pytest
from rest_framework.test import APIClient

from sis_common.testing.internal import caller_credentials

from stock.models import Movement, StockDocument
from stock.serializers import MovementSerializer

pytestmark = pytest.mark.django_db
URL = "/internal/inventory/stock-moves/"
BRANCH = 301


def move(client, body, key="k-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, body, format="json", **headers)


def test_sale_takes_every_line_and_answers_the_document(internal_client, make_product, receive):
    a, b = make_product(), make_product()
    receive(BRANCH, a.pk, 5)
    receive(BRANCH, b.pk, 5)
    body = {"kind": "sale", "branch": BRANCH, "reference": "SUC01-000001", "user": 4,
            "lines": [{"product": a.pk, "quantity": 2}, {"product": b.pk, "quantity": 5}]}
    response = move(internal_client, body, key="sale-1")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert {k: answer[k] for k in ("kind", "branch", "reference")} == {"kind": "sale", "branch": BRANCH,
                                                                       "reference": "SUC01-000001"}
    assert [(m["product"], m["quantity"], m["balance_after"], m["kind"], m["user"]) for m in answer["movements"]] == [
        (a.pk, -2, 3, "sale", 4), (b.pk, -5, 0, "sale", 4)]
    # answered from what was written, in the public shape of a movement as stored
    document = StockDocument.objects.get(pk=answer["id"])
    assert answer["user"] == 4 and answer["created_at"].startswith(document.created_at.date().isoformat())
    assert answer["movements"] == MovementSerializer(document.movements.order_by("id"), many=True).data


def test_same_key_same_body_is_one_move_and_the_same_answer(internal_client, make_product, receive,
                                                           ledger_consistent):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    body = {"kind": "sale", "branch": BRANCH, "reference": "S-2", "lines": [{"product": product.pk, "quantity": 1}]}
    first = move(internal_client, body, key="same")
    second = move(internal_client, body, key="same")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Movement.objects.filter(product=product, kind="sale").count() == 1
    assert StockDocument.objects.filter(reference="S-2").count() == 1
    other = move(internal_client, {**body, "lines": [{"product": product.pk, "quantity": 2}]}, key="same")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert Movement.objects.filter(product=product, kind="sale").count() == 1
    ledger_consistent()


def test_shortage_is_409_with_lines_and_replays_the_same(internal_client, make_product, receive):
    product, missing = make_product(), make_product()
    receive(BRANCH, product.pk, 1)
    body = {"kind": "sale", "branch": BRANCH, "reference": "S-3",
            "lines": [{"product": product.pk, "quantity": 2}, {"product": missing.pk, "quantity": 1}]}
    refused = move(internal_client, body, key="short")
    assert refused.status_code == 409
    assert refused.json()["code"] == "insufficient_stock"
    assert [(line["product"], line["requested"], line["available"]) for line in refused.json()["lines"]] == [
        (product.pk, 2, 1), (missing.pk, 1, 0)]
    assert move(internal_client, body, key="short").json() == refused.json()
    assert not StockDocument.objects.filter(reference="S-3").exists()


def test_return_puts_stock_back(internal_client, make_product):
    product = make_product()
    body = {"kind": "return", "branch": BRANCH, "reference": "S-4/R1", "lines": [{"product": product.pk, "quantity": 3}]}
    response = move(internal_client, body, key="ret-1")
    assert response.status_code == 201
    assert response.json()["movements"][0]["balance_after"] == 3


def test_key_is_required(internal_client, make_product):
    body = {"kind": "sale", "branch": BRANCH, "reference": "S-5", "lines": [{"product": make_product().pk, "quantity": 1}]}
    response = move(internal_client, body, key=None)
    assert response.status_code == 400 and response.json()["code"] == "idempotency_key_required"


@pytest.mark.parametrize("change, field", [
    ({"kind": "receipt"}, "kind"),
    ({"branch": "SUC01"}, "branch"),
    ({"reference": ""}, "reference"),
    ({"reference": "r" * 65}, "reference"),
    ({"user": "juan"}, "user"),
    ({"lines": []}, "lines"),
    ({"lines": [{"product": 99999999, "quantity": 1}]}, "lines"),
    ({"lines": [{"product": None, "quantity": 1}]}, "lines"),
    ({"lines": [{"quantity": 1}]}, "lines"),
    ({"lines": "x"}, "lines"),
    ({"lines": [{"product": 1, "quantity": 0}]}, "lines"),
    ({"lines": [{"product": 1, "quantity": -2}]}, "lines"),
    ({"lines": [{"product": 1, "quantity": "2.5"}]}, "lines"),
])
def test_invalid_move_is_400_and_stores_nothing(internal_client, make_product, change, field):
    product = make_product()
    body = {"kind": "sale", "branch": BRANCH, "reference": "S-6", "lines": [{"product": product.pk, "quantity": 1}],
            **change}
    response = move(internal_client, body, key="bad")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    # validation failures store nothing: a corrected request may reuse the key
    good = {"kind": "return", "branch": BRANCH, "reference": "S-6", "lines": [{"product": product.pk, "quantity": 1}]}
    assert move(internal_client, good, key="bad").status_code == 201


def test_non_object_body_is_400(internal_client):
    response = internal_client.post(URL, [1, 2], format="json", HTTP_IDEMPOTENCY_KEY="list")
    assert response.status_code == 400


def test_needs_an_internal_credential(admin_client):
    # a user's token is no internal credential
    answer = admin_client.post(URL, {}, format="json", HTTP_IDEMPOTENCY_KEY="x")
    assert answer.status_code == 401 and answer.json()["code"] == "not_authenticated"


def stock_move_as(headers: dict, make_product, receive, key: str):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    body = {"kind": "sale", "branch": BRANCH, "reference": key, "lines": [{"product": product.pk, "quantity": 1}]}
    return APIClient().post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key, **headers), product


def test_only_ventas_may_move_stock(make_product, receive):
    # the gateway's genuine credential, good for inventory's /health details, moves nothing
    answer, product = stock_move_as(caller_credentials("gateway"), make_product, receive, "as-gateway")
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    # auth's genuine credential: inventory does not even hold its digest
    answer, _ = stock_move_as(caller_credentials("auth"), make_product, receive, "as-auth")
    assert answer.status_code == 401 and answer.json()["code"] == "internal_caller_refused"
    assert not Movement.objects.filter(product=product, kind="sale").exists()
    answer, product = stock_move_as(caller_credentials("ventas"), make_product, receive, "as-ventas")
    assert answer.status_code == 201, answer.content
    assert Movement.objects.filter(product=product, kind="sale").count() == 1


@pytest.mark.parametrize("headers", [
    {"HTTP_X_INTERNAL_CALLER": "ventas", "HTTP_X_INTERNAL_TOKEN": "guess"},
    # the gateway's real secret presented as ventas
    {"HTTP_X_INTERNAL_CALLER": "ventas", "HTTP_X_INTERNAL_TOKEN": caller_credentials("gateway")["HTTP_X_INTERNAL_TOKEN"]},
    # ventas' real secret without the name it belongs to
    {"HTTP_X_INTERNAL_TOKEN": caller_credentials("ventas")["HTTP_X_INTERNAL_TOKEN"]},
    {"HTTP_X_INTERNAL_CALLER": "ventas"},
])
def test_a_wrong_internal_credential_is_401(make_product, receive, headers):
    answer, product = stock_move_as(headers, make_product, receive, "wrong")
    assert answer.status_code == 401 and answer.json()["code"] == "internal_caller_refused", answer.content
    assert answer["WWW-Authenticate"] == "Internal"
    assert not Movement.objects.filter(product=product, kind="sale").exists()
