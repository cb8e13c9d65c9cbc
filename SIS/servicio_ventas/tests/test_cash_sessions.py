"""Cash sessions: one open per cashier, sales join it, close shows expected vs counted per method."""
from decimal import Decimal as D
from uuid import uuid4

import pytest
from django.db import transaction

from sales import services
from sales.models import SaleReturn

from .builders import make_sale

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
              pytest.mark.usefixtures("known_branches")]


def new_key() -> str:
    return uuid4().hex


def keyed() -> dict:
    """A JSON request's arguments with a fresh Idempotency-Key."""
    return {"format": "json", "HTTP_IDEMPOTENCY_KEY": new_key()}


def open_session(client, branch=1, opening="100.00", **headers):
    headers.setdefault("HTTP_IDEMPOTENCY_KEY", new_key())
    return client.post("/api/sales/cash-sessions/", {"branch": branch, "opening_float": opening}, format="json",
                       **headers)


def test_one_open_session_per_cashier(client_for):
    cashier = client_for("cashier", [1, 2], user_id=11)
    first = open_session(cashier)
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "open"
    assert first.json()["expected"] is None  # the cashier's close is blind
    shown = client_for("manager", [1]).get(f"/api/sales/cash-sessions/{first.json()['id']}/").json()
    assert shown["expected"] == {"cash": "100.00", "card": "0.00", "transfer": "0.00", "points": "0.00"}
    again = open_session(cashier, branch=2)
    assert again.status_code == 409
    assert again.json() | {} == {**again.json(), "code": "cash_session_open", "session": first.json()["id"]}
    assert open_session(client_for("cashier", [1], user_id=12)).status_code == 201  # another cashier may


def test_opening_is_idempotent_by_key(client_for):
    cashier = client_for("cashier", [1], user_id=13)
    first = open_session(cashier, HTTP_IDEMPOTENCY_KEY="open-1")
    replay = open_session(cashier, HTTP_IDEMPOTENCY_KEY="open-1")
    assert first.status_code == replay.status_code == 201
    assert replay.json()["id"] == first.json()["id"]
    assert replay["Idempotent-Replayed"] == "true"


def test_opening_is_scoped_to_the_cashiers_branches(client_for):
    assert open_session(client_for("cashier", [1]), branch=3).status_code == 403
    assert open_session(client_for("auditor")).status_code == 403


def _return(sale, user_id, lines, method):
    created = services.return_create(request=services.ReturnRequest(
        sale_id=sale.pk, user_id=user_id, idempotency_key=f"r{sale.pk}{method}", request_hash="x", lines=lines,
        reason="", refund_method=method))
    with transaction.atomic():
        services.return_complete(sale_return=SaleReturn.objects.select_for_update().get(pk=created.pk),
                                 stock_move_id=1)


def test_close_shows_expected_counted_and_difference(client_for):
    cashier = client_for("cashier", [1], user_id=21)
    session_id = open_session(cashier, opening="50.00").json()["id"]
    # 11.80 paid 20.00 cash -> 8.20 change; 23.60 paid 20.00 cash + 3.60 card; 5.90 by transfer
    make_sale(branch_id=1, user_id=21, lines=[(1, "10.00", 1)], payments=[("cash", "20.00")])
    second = make_sale(branch_id=1, user_id=21, lines=[(2, "10.00", 2)],
                       payments=[("cash", "20.00"), ("card", "3.60")])
    make_sale(branch_id=1, user_id=21, lines=[(3, "5.00", 1)], payments=[("transfer", "5.90")])
    make_sale(branch_id=1, user_id=22, lines=[(3, "5.00", 1)])  # another cashier: not in this session
    _return(second, 21, [(2, 1)], "cash")  # refunds 11.80 in cash (of the 20.00 it brought)
    assert cashier.get(f"/api/sales/cash-sessions/{session_id}/").json()["expected"] is None  # blind
    live = client_for("auditor").get(f"/api/sales/cash-sessions/{session_id}/").json()
    assert live["expected"] == {"cash": "70.00", "card": "3.60", "transfer": "5.90", "points": "0.00"}  # 50+11.80+20-11.80
    closed = cashier.post(f"/api/sales/cash-sessions/{session_id}/close/", {"counted_cash": "69.50"},
                          **keyed())
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["status"] == "closed"
    assert body["expected"] == {"cash": "70.00", "card": "3.60", "transfer": "5.90", "points": "0.00"}
    assert body["counted"] == {"cash": "69.50", "card": "3.60", "transfer": "5.90", "points": "0.00"}
    assert body["difference"] == {"cash": "-0.50", "card": "0.00", "transfer": "0.00", "points": "0.00", "total": "-0.50"}
    again = cashier.post(f"/api/sales/cash-sessions/{session_id}/close/", {"counted_cash": "1.00"}, **keyed())
    assert again.status_code == 409 and again.json()["code"] == "cash_session_closed"
    assert open_session(cashier).status_code == 201  # closed: a new one may open


def test_a_session_with_a_pending_sale_cannot_close(client_for):
    cashier = client_for("cashier", [1], user_id=31)
    session_id = open_session(cashier).json()["id"]
    pending = make_sale(branch_id=1, user_id=31, lines=[(1, "1.00", 1)], complete=False)
    assert pending.session_id == session_id
    answer = cashier.post(f"/api/sales/cash-sessions/{session_id}/close/", {"counted_cash": "100.00"},
                          **keyed())
    assert answer.status_code == 409 and answer.json()["code"] == "cash_session_pending"


def test_who_may_see_and_close(client_for):
    owner = client_for("cashier", [1], user_id=41)
    session_id = open_session(owner).json()["id"]
    colleague = client_for("cashier", [1], user_id=42)
    assert colleague.get(f"/api/sales/cash-sessions/{session_id}/").status_code == 404
    refused = colleague.post(f"/api/sales/cash-sessions/{session_id}/close/", {"counted_cash": "1"}, **keyed())
    assert refused.status_code == 403
    assert client_for("manager", [2]).post(f"/api/sales/cash-sessions/{session_id}/close/",
                                           {"counted_cash": "1"}, **keyed()).status_code == 403
    assert client_for("auditor").get(f"/api/sales/cash-sessions/{session_id}/").status_code == 200
    assert client_for("auditor").post(f"/api/sales/cash-sessions/{session_id}/close/",
                                      {"counted_cash": "1"}, **keyed()).status_code == 403
    assert owner.get("/api/sales/cash-sessions/current/?branch=1").json()["id"] == session_id
    manager = client_for("manager", [1], user_id=43)
    closed = manager.post(f"/api/sales/cash-sessions/{session_id}/close/", {"counted_cash": "100.00"},
                          **keyed())
    assert closed.status_code == 200 and closed.json()["closed_by"] == 43
    assert owner.get("/api/sales/cash-sessions/current/?branch=1").status_code == 404
    assert D(closed.json()["difference"]["total"]) == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"branch": 5021433254044201123840, "opening_float": "1.00"}, "branch"),
    ({"branch": 2**63, "opening_float": "1.00"}, "branch"),
    ({"branch": 1, "opening_float": "10000000000.00"}, "opening_float"),
])
def test_values_past_the_columns_are_400_before_the_database(client_for, body, field):
    answer = client_for("admin").post("/api/sales/cash-sessions/", body, **keyed())
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["fields"]


def test_opening_and_closing_move_money_so_they_need_an_idempotency_key(client_for):
    cashier = client_for("cashier", [1], user_id=31)
    refused = open_session(cashier, HTTP_IDEMPOTENCY_KEY="")
    assert refused.status_code == 400 and refused.json()["code"] == "idempotency_key_required"
    session_id = open_session(cashier).json()["id"]
    refused = cashier.post(f"/api/sales/cash-sessions/{session_id}/close/", {"counted_cash": "1.00"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "idempotency_key_required"
    assert cashier.get(f"/api/sales/cash-sessions/{session_id}/").json()["status"] == "open"
