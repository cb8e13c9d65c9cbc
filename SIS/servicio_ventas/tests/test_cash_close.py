"""The blind close: a cashier never sees what the till should hold until it is closed; counts by denomination."""
import pytest

from cash.models import CashSession

from .builders import make_sale
from .test_cash_sessions import keyed, open_session

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
              pytest.mark.usefixtures("known_branches")]

NOTES = [{"value": "100.00", "count": 1}, {"value": "20.00", "count": 2}, {"value": "0.50", "count": 3},
         {"value": "0.10", "count": 0}]  # 141.50


def close(client, session_id, body):
    return client.post(f"/api/sales/cash-sessions/{session_id}/close/", body, **keyed())


def test_the_cashiers_api_never_shows_expected_before_the_close(client_for):
    cashier = client_for("cashier", [1], user_id=71)
    opened = open_session(cashier, opening="100.00").json()
    session_id = opened["id"]
    make_sale(branch_id=1, user_id=71, lines=[(1, "10.00", 1)], payments=[("cash", "20.00")])
    seen = [opened, cashier.get(f"/api/sales/cash-sessions/{session_id}/").json(),
            cashier.get("/api/sales/cash-sessions/current/?branch=1").json(),
            *cashier.get("/api/sales/cash-sessions/").json()["results"]]
    assert [(s["expected"], s["difference"]) for s in seen] == [(None, None)] * 4
    for role in ("manager", "admin", "auditor"):
        shown = client_for(role, [1]).get(f"/api/sales/cash-sessions/{session_id}/").json()
        assert shown["expected"] == {"cash": "111.80", "card": "0.00", "transfer": "0.00", "points": "0.00"}, role
    closed = close(cashier, session_id, {"counted": {"cash": "110.00"}})
    assert closed.status_code == 200, closed.content
    assert closed.json()["expected"]["cash"] == "111.80"
    assert closed.json()["difference"] == {"cash": "-1.80", "card": "0.00", "transfer": "0.00", "points": "0.00", "total": "-1.80"}
    assert cashier.get(f"/api/sales/cash-sessions/{session_id}/").json()["expected"]["cash"] == "111.80"


def test_cash_counted_by_denominations_is_their_sum(client_for):
    cashier = client_for("cashier", [1], user_id=72)
    session_id = open_session(cashier, opening="141.00").json()["id"]
    closed = close(cashier, session_id, {"counted": {"card": "0.00"}, "denominations": NOTES, "note": "end of day"})
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["counted"] == {"cash": "141.50", "card": "0.00", "transfer": "0.00", "points": "0.00"}
    assert body["difference"]["cash"] == "0.50"
    assert body["denominations"] == NOTES and body["note"] == "end of day"
    assert cashier.get(f"/api/sales/cash-sessions/{session_id}/").json()["denominations"] == NOTES


def test_a_counted_cash_that_disagrees_with_the_denominations_is_400(client_for):
    cashier = client_for("cashier", [1], user_id=73)
    session_id = open_session(cashier).json()["id"]
    refused = close(cashier, session_id, {"counted": {"cash": "141.49"}, "denominations": NOTES})
    assert refused.status_code == 400
    assert refused.json()["code"] == "denominations_mismatch" and refused.json()["denominations_total"] == "141.50"
    assert CashSession.objects.using("default").get(pk=session_id).status == "open"
    agreed = close(cashier, session_id, {"counted": {"cash": "141.50"}, "denominations": NOTES})
    assert agreed.status_code == 200 and agreed.json()["counted"]["cash"] == "141.50"


@pytest.mark.parametrize(("body", "field"), [
    ({"denominations": [{"value": "0.00", "count": 1}]}, "denominations"),
    ({"denominations": [{"value": "-1.00", "count": 1}]}, "denominations"),
    ({"denominations": [{"value": "1.00", "count": -1}]}, "denominations"),
    ({"denominations": [{"value": "1.00", "count": 1.5}]}, "denominations"),
    ({"denominations": [{"value": "1.00", "count": "2"}]}, "denominations"),
    ({"denominations": [{"value": "1.00", "count": 1_000_001}]}, "denominations"),
    ({"denominations": [{"value": "1.00", "count": 1}, {"value": "1.00", "count": 2}]}, "denominations"),
    ({"denominations": []}, "denominations"),
    ({"denominations": [{"value": f"{i}.00", "count": 1} for i in range(1, 52)]}, "denominations"),
    ({"denominations": [{"value": "9999999999.00", "count": 2}]}, "denominations"),
    ({"counted": {"cash": "-1.00"}}, "counted"),
    ({"counted": {}}, "counted"),
    ({"counted": {"cash": "1.00"}, "counted_cash": "1.00"}, "counted"),
    ({"note": "nothing counted"}, "counted"),
    ({"counted": "1.00"}, "counted"),
])
def test_bad_counts_are_400_and_leave_the_session_open(client_for, body, field):
    cashier = client_for("cashier", [1], user_id=74)
    session_id = open_session(cashier).json()["id"]
    refused = close(cashier, session_id, body)
    assert refused.status_code == 400, refused.content
    assert field in refused.json()["fields"]
    assert CashSession.objects.using("default").get(pk=session_id).status == "open"


def test_closing_twice_is_409(client_for):
    cashier = client_for("cashier", [1], user_id=75)
    session_id = open_session(cashier).json()["id"]
    assert close(cashier, session_id, {"counted": {"cash": "100.00"}}).status_code == 200
    again = close(cashier, session_id, {"denominations": NOTES})
    assert again.status_code == 409 and again.json()["code"] == "cash_session_closed"


def test_a_manager_finds_and_closes_a_forgotten_session_of_the_branch(client_for):
    cashier = client_for("cashier", [1], user_id=76)
    session_id = open_session(cashier, opening="20.00").json()["id"]
    open_session(client_for("cashier", [2], user_id=77), branch=2)  # another branch's
    manager = client_for("manager", [1], user_id=78)
    found = manager.get("/api/sales/cash-sessions/?branch=1&status=open").json()["results"]
    assert [(s["id"], s["cashier"]) for s in found] == [(session_id, 76)]
    assert manager.get("/api/sales/cash-sessions/?status=open").json()["results"] == found  # only their branch
    another = close(client_for("cashier", [1], user_id=79), session_id, {"counted": {"cash": "20.00"}})
    assert another.status_code == 403 and another.json()["code"] == "not_your_session"
    assert close(client_for("manager", [2], user_id=80), session_id, {"counted": {"cash": "20.00"}}).status_code == 403
    closed = close(manager, session_id, {"counted": {"cash": "20.00", "card": "0.00", "transfer": "0.00"}})
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["closed_by"], closed.json()["cashier"]) == ("closed", 78, 76)
    assert cashier.get("/api/sales/cash-sessions/current/?branch=1").status_code == 404
    assert open_session(cashier).status_code == 201  # the cashier can start again
