"""POST /internal/inventory/stock-moves/: ventas' sales and returns and compras' receipts, idempotent by key."""
import time
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from sis_common.testing.internal import caller_credentials
from sis_common.testing.forged import claims, other_private_key, sign
from sis_common.testing.tokens import auth_header

from catalog.models import Product
from stock.models import Movement, StockDocument
from stock.serializers import MovementSerializer

pytestmark = pytest.mark.django_db
URL = "/internal/inventory/stock-moves/"
BRANCH = 301


def acting(body) -> dict:
    """The token of the user the body names, a cashier of its branch: what ventas forwards."""
    user = body.get("user") if isinstance(body.get("user"), int) else 7
    branch = body.get("branch") if isinstance(body.get("branch"), int) else 1
    return auth_header(role="cashier", branches=[branch], user_id=user)


def move(client, body, key="k-1", token=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, body, format="json", **headers, **(acting(body) if token is None else token))


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
    ({"kind": "count"}, "kind"),
    ({"kind": "adjustment"}, "kind"),
    ({"supplier_ref": "GR-1"}, "supplier_ref"),
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


def compras_client() -> APIClient:
    client = APIClient()
    client.credentials(**caller_credentials("compras"))
    return client


def test_a_receipt_from_compras_is_one_receipt_document_under_its_reference(make_product, receive,
                                                                           ledger_consistent):
    """compras' receipt of a purchase order: the stock enters, the average cost moves, the key replays."""
    costly, plain = make_product(cost=Decimal("4.00")), make_product()
    receive(BRANCH, costly.pk, 10)  # 10 on hand at 4.00
    Product.objects.filter(pk=plain.pk).update(is_active=False)  # goods that came are received all the same
    body = {"kind": "receipt", "branch": BRANCH, "reference": "PO-000012/GR-881", "supplier_ref": "GR-881",
            "user": 9, "lines": [{"product": plain.pk, "quantity": 3},
                                 {"product": costly.pk, "quantity": 10, "unit_cost": "5.00"}]}
    headers = auth_header(role="warehouse", branches=[BRANCH], user_id=9)
    first = compras_client().post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="rc-1", **headers)
    assert first.status_code == 201, first.content
    answer = first.json()
    assert (answer["kind"], answer["reference"], answer["user"]) == ("receipt", "PO-000012/GR-881", 9)
    assert [(m["product"], m["quantity"], m["balance_after"], m["kind"], m["reference"])
            for m in answer["movements"]] == [(plain.pk, 3, 3, "receipt", "PO-000012/GR-881"),
                                              (costly.pk, 10, 20, "receipt", "PO-000012/GR-881")]
    document = StockDocument.objects.get(pk=answer["id"])
    assert (document.kind, document.supplier_ref) == ("receipt", "GR-881")
    assert [(x.product_id, x.quantity, x.unit_cost) for x in document.lines.order_by("id")] == [
        (plain.pk, 3, None), (costly.pk, 10, Decimal("5.00"))]
    assert Product.objects.get(pk=costly.pk).cost == Decimal("4.50")  # (10 × 4 + 10 × 5) / 20
    again = compras_client().post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="rc-1", **headers)
    assert again.status_code == 201 and again.json() == answer
    assert Movement.objects.filter(reference="PO-000012/GR-881").count() == 2
    assert Product.objects.get(pk=costly.pk).cost == Decimal("4.50")
    listed = APIClient()
    listed.credentials(**auth_header(role="admin"))
    receipts = listed.get("/api/inventory/receipts/", {"branch": BRANCH}).json()["results"]
    assert [(r["number"], r["supplier_ref"]) for r in receipts if r["id"] == answer["id"]] == [
        ("PO-000012/GR-881", "GR-881")]
    ledger_consistent()


def test_a_unit_cost_is_a_receipts_only(internal_client, make_product):
    product = make_product()
    body = {"kind": "return", "branch": BRANCH, "reference": "S-7",
            "lines": [{"product": product.pk, "quantity": 1, "unit_cost": "2.00"}]}
    answer = move(internal_client, body, key="cost-on-return")
    assert answer.status_code == 400 and "lines" in answer.json()["fields"], answer.content
    assert not StockDocument.objects.filter(reference="S-7").exists()


def test_a_receipt_lists_each_product_once(make_product):
    product = make_product()
    body = {"kind": "receipt", "branch": BRANCH, "reference": "PO-1/GR-1",
            "lines": [{"product": product.pk, "quantity": 1}, {"product": product.pk, "quantity": 2}]}
    answer = compras_client().post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="rc-dup",
                                   **auth_header(role="warehouse", branches=[BRANCH], user_id=7))
    assert answer.status_code == 400 and "lines" in answer.json()["fields"], answer.content
    assert not StockDocument.objects.filter(reference="PO-1/GR-1").exists()


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
    return APIClient().post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key, **headers, **acting(body)), product


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


def sale_body(product, branch=BRANCH, **extra) -> dict:
    return {"kind": "sale", "branch": branch, "reference": f"A-{product.pk}",
            "lines": [{"product": product.pk, "quantity": 1}], **extra}


def test_the_ledger_names_the_tokens_user_and_a_body_naming_another_is_refused(internal_client, make_product,
                                                                               receive):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    cashier = auth_header(role="cashier", branches=[BRANCH], user_id=41)
    refused = move(internal_client, sale_body(product, user=42), key="other-user", token=cashier)
    assert refused.status_code == 403 and refused.json()["code"] == "acting_user_mismatch"
    moved = move(internal_client, sale_body(product), key="no-user", token=cashier)
    assert moved.status_code == 201 and [m["user"] for m in moved.json()["movements"]] == [41]


@pytest.mark.parametrize("token, code", [
    (auth_header(role="cashier", branches=[BRANCH + 1], user_id=7), "branch_forbidden"),
    (auth_header(role="manager", branches=[], user_id=7), "branch_forbidden"),
    # auditors see every branch and write at none
    (auth_header(role="auditor", user_id=7), "role_forbidden"),
])
def test_a_body_naming_a_branch_outside_the_tokens_scope_is_refused(internal_client, make_product, receive,
                                                                    token, code):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    refused = move(internal_client, sale_body(product, user=7), key=f"scope-{code}-{product.pk}", token=token)
    assert refused.status_code == 403 and refused.json()["code"] == code, refused.content
    assert not Movement.objects.filter(product=product, kind="sale").exists()
    # refusals store nothing: the key is free for a request with the right token
    assert move(internal_client, sale_body(product, user=7), key=f"scope-{code}-{product.pk}").status_code == 201


@pytest.mark.parametrize("token, code", [
    ({}, "acting_token_required"),
    ({"HTTP_AUTHORIZATION": "Bearer x.y.z"}, "token_not_valid"),
    # an admin token signed by a key that is not auth's
    ({"HTTP_AUTHORIZATION": f"Bearer {sign(claims(role='admin'), other_private_key())}"}, "token_not_valid"),
])
def test_no_or_a_forged_user_token_is_401(internal_client, make_product, receive, token, code):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    refused = move(internal_client, sale_body(product), key=f"forged-{code}", token=token)
    assert refused.status_code == 401 and refused.json()["code"] == code, refused.content
    assert not Movement.objects.filter(product=product, kind="sale").exists()


def test_ventas_retrying_with_an_expired_token_moves_within_the_grace_only(internal_client, make_product, receive,
                                                                          settings):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    # expired an hour ago: the reconciler retrying a sale left pending while inventory was away
    late = auth_header(role="cashier", branches=[BRANCH], user_id=7, iat=int(time.time()) - 4500, lifetime=-3600)
    moved = move(internal_client, sale_body(product, user=7), key="late", token=late)
    assert moved.status_code == 201, moved.content
    assert [m["user"] for m in moved.json()["movements"]] == [7]
    settings.ACTING_TOKEN_GRACE_SECONDS = 600
    product = make_product()
    receive(BRANCH, product.pk, 5)
    refused = move(internal_client, sale_body(product, user=7), key="too-late", token=late)
    assert refused.status_code == 401 and refused.json()["detail"] == "Token is expired."
    assert not Movement.objects.filter(product=product, kind="sale").exists()


def test_an_answered_key_replays_even_after_the_token_stopped_passing(internal_client, make_product, receive,
                                                                     settings):
    product = make_product()
    receive(BRANCH, product.pk, 5)
    first = move(internal_client, sale_body(product, user=7), key="answered")
    assert first.status_code == 201
    settings.ACTING_TOKEN_GRACE_SECONDS = 0
    expired = auth_header(role="cashier", branches=[BRANCH], user_id=7, lifetime=-3600)
    replay = move(internal_client, sale_body(product, user=7), key="answered", token=expired)
    assert replay.status_code == 201 and replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert Movement.objects.filter(product=product, kind="sale").count() == 1
