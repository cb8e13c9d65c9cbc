"""Cash put in and paid out of an open session: who may, what is refused, two outs never share the last cash."""
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal as D

import pytest
from django.db import connections, transaction
from rest_framework.test import APIClient

from cash.models import CashMovement, CashSession
from sis_common.audit.models import AuditEvent
from sis_common.mariadb import replication
from sis_common.testing.tokens import auth_header

from .builders import make_sale
from .test_cash_sessions import keyed, open_session

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
              pytest.mark.usefixtures("known_branches", "known_company")]  # cash_out_limit 200.00


def move(client, session_id, kind, amount, reason="", **extra):
    body = {"kind": kind, "amount": amount, "reason": reason, **extra}
    return client.post(f"/api/sales/cash-sessions/{session_id}/movements/", body, **keyed())


def expected_cash(client_for, session_id) -> str:
    return client_for("auditor").get(f"/api/sales/cash-sessions/{session_id}/").json()["expected"]["cash"]


def test_cash_in_and_out_move_what_the_drawer_should_hold(client_for):
    cashier = client_for("cashier", [1], user_id=51)
    session_id = open_session(cashier, opening="100.00").json()["id"]
    make_sale(branch_id=1, user_id=51, lines=[(1, "10.00", 1)], payments=[("cash", "20.00")])  # 11.80, 8.20 change
    put = move(cashier, session_id, "in", "50.00", "change fund")
    assert put.status_code == 201, put.content
    body = put.json()
    assert body | {} == {**body, "session": session_id, "kind": "in", "amount": "50.00", "reason": "change fund",
                         "user": 51, "approved_by": None}
    out = move(cashier, session_id, "out", "30.50", "  delivery of water  ")
    assert out.status_code == 201, out.content
    assert out.json()["reason"] == "delivery of water"
    assert expected_cash(client_for, session_id) == "131.30"  # 100 + 11.80 + 50 − 30.50
    listed = cashier.get(f"/api/sales/cash-sessions/{session_id}/movements/")
    assert listed.status_code == 200
    assert [(m["kind"], m["amount"]) for m in listed.json()] == [("in", "50.00"), ("out", "30.50")]
    closed = cashier.post(f"/api/sales/cash-sessions/{session_id}/close/", {"counted": {"cash": "131.30"}},
                          **keyed())
    assert closed.status_code == 200, closed.content
    assert closed.json()["expected"]["cash"] == "131.30" and closed.json()["difference"]["total"] == "0.00"


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "out", "amount": "0.00", "reason": "x"}, "amount"),
    ({"kind": "in", "amount": "0", "reason": "x"}, "amount"),
    ({"kind": "in", "amount": "-5.00", "reason": "x"}, "amount"),
    ({"kind": "in", "amount": 5, "reason": "x"}, "amount"),
    ({"kind": "in", "amount": "1.005", "reason": "x"}, "amount"),
    ({"kind": "in", "amount": "10000000000.00", "reason": "x"}, "amount"),
    ({"kind": "sideways", "amount": "1.00", "reason": "x"}, "kind"),
    ({"kind": "out", "amount": "1.00", "reason": "x" * 256}, "reason"),
    ({"kind": "out", "amount": "1.00", "reason": "x", "approval": {"username": "m", "pin": "12"}}, "approval"),
    ({"kind": "out", "amount": "1.00"}, "reason"),
    ({"kind": "out", "amount": "1.00", "reason": "   "}, "reason"),
])
def test_bad_movements_are_400_and_store_nothing(client_for, body, field):
    cashier = client_for("cashier", [1], user_id=52)
    session_id = open_session(cashier).json()["id"]
    answer = cashier.post(f"/api/sales/cash-sessions/{session_id}/movements/", body, **keyed())
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["fields"]
    assert not CashMovement.objects.using("default").exists()


def test_an_out_above_the_cash_in_the_drawer_is_409_without_the_figure(client_for):
    cashier = client_for("cashier", [1], user_id=53)
    session_id = open_session(cashier, opening="40.00").json()["id"]
    make_sale(branch_id=1, user_id=53, lines=[(1, "10.00", 1)], payments=[("card", "11.80")])  # card: no cash
    refused = move(cashier, session_id, "out", "40.01", "bank deposit")
    assert refused.status_code == 409
    assert refused.json() == {"detail": refused.json()["detail"], "code": "insufficient_cash"}  # blind: no amount
    assert move(cashier, session_id, "out", "40.00", "bank deposit").status_code == 201  # all of it may go
    assert move(cashier, session_id, "out", "0.01", "bank deposit").status_code == 409
    assert CashMovement.objects.using("default").count() == 1


def test_an_out_may_not_take_cash_a_pending_refund_has_promised(client_for):
    from sales import services
    from sales.models import SaleReturn

    cashier = client_for("cashier", [1], user_id=54)
    session_id = open_session(cashier, opening="0.00").json()["id"]
    sale = make_sale(branch_id=1, user_id=54, lines=[(1, "10.00", 2)], payments=[("cash", "23.60")])
    services.return_create(request=services.ReturnRequest(
        sale_id=sale.pk, user_id=54, idempotency_key="r-pending", request_hash="x", lines=[(1, 1)], reason="",
        refund_method="cash"))  # 11.80 back in cash, still pending with inventory
    assert SaleReturn.objects.using("default").get().status == "pending"
    assert expected_cash(client_for, session_id) == "23.60"
    assert move(cashier, session_id, "out", "11.81", "deposit").status_code == 409
    assert move(cashier, session_id, "out", "11.80", "deposit").status_code == 201


def test_who_may_move_cash(client_for):
    owner = client_for("cashier", [1], user_id=55)
    session_id = open_session(owner).json()["id"]
    colleague = move(client_for("cashier", [1], user_id=56), session_id, "in", "1.00", "x")
    assert colleague.status_code == 403 and colleague.json()["code"] == "not_your_session"
    assert move(client_for("manager", [2], user_id=57), session_id, "in", "1.00", "x").status_code == 403
    assert move(client_for("auditor"), session_id, "in", "1.00", "x").status_code == 403
    assert move(client_for("warehouse", [1]), session_id, "in", "1.00", "x").status_code == 403
    assert not CashMovement.objects.using("default").exists()
    by_manager = move(client_for("manager", [1], user_id=58), session_id, "out", "20.00", "petty cash")
    assert by_manager.status_code == 201 and by_manager.json()["user"] == 58
    assert client_for("cashier", [1], user_id=56).get(
        f"/api/sales/cash-sessions/{session_id}/movements/").status_code == 404
    assert len(client_for("auditor").get(f"/api/sales/cash-sessions/{session_id}/movements/").json()) == 1
    assert move(owner, 999999, "in", "1.00", "x").status_code == 404


def test_a_closed_session_takes_no_movement(client_for):
    cashier = client_for("cashier", [1], user_id=59)
    session_id = open_session(cashier).json()["id"]
    assert cashier.post(f"/api/sales/cash-sessions/{session_id}/close/", {"counted": {"cash": "100.00"}},
                        **keyed()).status_code == 200
    refused = move(cashier, session_id, "in", "1.00", "late")
    assert refused.status_code == 409 and refused.json()["code"] == "cash_session_closed"


def test_movements_need_an_idempotency_key_and_replay_by_it(client_for):
    cashier = client_for("cashier", [1], user_id=60)
    session_id = open_session(cashier).json()["id"]
    url = f"/api/sales/cash-sessions/{session_id}/movements/"
    body = {"kind": "out", "amount": "5.00", "reason": "stamps"}
    refused = cashier.post(url, body, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "idempotency_key_required"
    first = cashier.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="move-1")
    replay = cashier.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="move-1")
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json() and replay["Idempotent-Replayed"] == "true"
    other = cashier.post(url, {**body, "amount": "6.00"}, format="json", HTTP_IDEMPOTENCY_KEY="move-1")
    assert other.status_code == 422
    assert CashMovement.objects.using("default").count() == 1


def test_an_in_that_would_overflow_the_drawer_is_400(client_for):
    cashier = client_for("cashier", [1], user_id=61)
    session_id = open_session(cashier, opening="9999999999.00").json()["id"]
    refused = move(cashier, session_id, "in", "1.00", "too much")
    assert refused.status_code == 400 and refused.json()["code"] == "amount_too_large"
    assert move(cashier, session_id, "in", "0.99", "just fits").status_code == 201


def _lock_waits(db_pair) -> int:
    """Statements on the primary still waiting to lock a cash session row."""
    primary, _ = replication.current_roles(db_pair.spec)
    with db_pair.root(primary) as cur:
        cur.execute("SELECT COUNT(*) AS n FROM information_schema.processlist WHERE command = 'Query' "
                    "AND info LIKE 'SELECT %%FROM `cash_cashsession`%%FOR UPDATE'")
        return cur.fetchone()["n"]


def test_two_outs_cannot_both_take_the_last_cash(client_for, db_pair):
    cashier = client_for("cashier", [1], user_id=62)
    session_id = open_session(cashier, opening="100.00").json()["id"]

    def pay_out(i: int) -> int:
        client = APIClient()
        client.credentials(**auth_header(role="cashier", branches=[1], user_id=62))
        try:
            return client.post(f"/api/sales/cash-sessions/{session_id}/movements/",
                               {"kind": "out", "amount": "60.00", "reason": f"out {i}"}, format="json",
                               HTTP_IDEMPOTENCY_KEY=f"concurrent-out-{i}").status_code
        finally:
            connections.close_all()

    # hold the session row while both requests start, so both have read nothing before either writes
    with ThreadPoolExecutor(max_workers=2) as pool:
        with transaction.atomic():
            CashSession.objects.select_for_update().get(pk=session_id)
            outs = [pool.submit(pay_out, i) for i in range(2)]
            deadline = time.monotonic() + 10
            while _lock_waits(db_pair) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _lock_waits(db_pair) == 2, "both outs should wait on the session row"
        statuses = sorted(f.result(timeout=60) for f in outs)
    assert statuses == [201, 409]
    assert [m.amount for m in CashMovement.objects.using("default").all()] == [D("60.00")]
    assert expected_cash(client_for, session_id) == "40.00"


def test_a_cashiers_out_above_the_companys_limit_needs_a_manager(client_for, known_company, monkeypatch):
    cashier = client_for("cashier", [1], user_id=63)
    session_id = open_session(cashier, opening="1000.00").json()["id"]
    url = f"/api/sales/cash-sessions/{session_id}/movements/"
    body = {"kind": "out", "amount": "200.01", "reason": "supplier"}
    refused = cashier.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="out-big")
    assert refused.status_code == 403
    assert refused.json() | {} == {**refused.json(), "code": "cash_out_needs_approval", "limit": "200.00"}
    # auth is asked for the PIN (unreachable here: 503), and neither refusal is the key's answer
    monkeypatch.delenv("EWTTO_AUTH_URL", raising=False)
    approved = {**body, "approval": {"username": "boss", "pin": "1234"}}
    assert cashier.post(url, approved, format="json", HTTP_IDEMPOTENCY_KEY="out-big").status_code == 503
    assert not CashMovement.objects.using("default").exists()
    assert move(cashier, session_id, "out", "200.00", "supplier").status_code == 201  # up to the limit alone
    assert move(client_for("manager", [1], user_id=64), session_id, "out", "500.00", "bank").status_code == 201
    assert move(cashier, session_id, "in", "900.00", "float").status_code == 201  # ins need no approval
    known_company(cash_out_limit="50.00")
    assert move(cashier, session_id, "out", "50.01", "supplier").json()["limit"] == "50.00"
    assert [m.approved_by for m in CashMovement.objects.using("default").all()] == [None, None, None]


def test_a_pin_in_the_request_is_not_kept_in_the_audit_trail(client_for):
    cashier = client_for("cashier", [1], user_id=65)
    session_id = open_session(cashier).json()["id"]
    answer = cashier.post(f"/api/sales/cash-sessions/{session_id}/movements/",
                          {"kind": "out", "amount": "5.00", "reason": "stamps",
                           "approval": {"username": "boss", "pin": "918273"}},
                          HTTP_X_REQUEST_ID="audit-pin-1", **keyed())
    assert answer.status_code == 201 and answer.json()["approved_by"] is None  # under the limit: not needed
    (event,) = AuditEvent.objects.using("default").filter(request_id="audit-pin-1")
    assert event.changes["approval"] == {"username": "boss", "pin": "[redacted]"}
    assert "918273" not in str(event.changes) + str(event.summary)
