"""The points ledger: earned on sales, reversed on returns, held, confirmed and released for points payments, once each."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.db.models import Sum
from rest_framework.test import APIClient

from customers.models import Customer
from loyalty import rules
from loyalty.models import PointsEntry
from sis_common.testing.internal import caller_credentials

from .builders import customer_body

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def ventas():
    client = APIClient()
    client.credentials(**caller_credentials("ventas"))
    return client


@pytest.fixture
def customer(admin_client):
    return admin_client.post("/api/customers/", customer_body(), format="json").json()["id"]


def post(client, path, body, key=None):
    return client.post(f"/internal/loyalty/{path}", body, format="json", HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex)


def earn(client, customer, sale, amount, key=None):
    return post(client, "earnings/", {"customer": customer, "reference": f"sale:{sale}", "amount": amount},
                key or f"earn-{sale}")


def balance(customer_id: int) -> int:
    return Customer.objects.using("default").get(pk=customer_id).points


def assert_ledger_sums_to_points(customer_id: int) -> None:
    entries = PointsEntry.objects.using("default").filter(customer_id=customer_id)
    assert (entries.aggregate(s=Sum("quantity"))["s"] or 0) == balance(customer_id)
    last = entries.order_by("-id").first()
    assert last is None or last.balance_after == balance(customer_id)


@pytest.mark.parametrize(("amount", "points"), [("0.00", 0), ("9.99", 0), ("10.00", 1), ("19.99", 1), ("100.00", 10),
                                                ("12345.67", 1234)])
def test_whole_points_per_ten_of_currency_rounded_down(amount, points, settings):
    from decimal import Decimal
    assert rules.points_earned(Decimal(amount)) == points


def test_the_rule_is_a_setting(ventas, settings):
    settings.LOYALTY_EARN_PER, settings.LOYALTY_POINT_VALUE = "5.00", "0.25"
    assert ventas.get("/internal/loyalty/rules/").json() == {"earn_per": "5.00", "point_value": "0.25"}


def test_a_sale_earns_once_however_often_ventas_sends_it(ventas, customer):
    first = earn(ventas, customer, 1, "123.45")
    assert first.status_code == 201, first.json()
    assert first.json() == {"reference": "sale:1", "customer": customer, "amount": "123.45", "points": 12,
                            "balance": 12}
    again = earn(ventas, customer, 1, "123.45")
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert earn(ventas, customer, 1, "123.45", key="another-key").json()["points"] == 12  # the same sale, once
    assert earn(ventas, customer, 1, "99.00", key="yet-another").status_code == 409
    assert earn(ventas, customer, 2, "5.00").json()["points"] == 0  # nothing earned: no ledger row
    assert [(e.kind, e.quantity, e.balance_after, e.reference) for e in
            PointsEntry.objects.filter(customer_id=customer)] == [("earn", 12, 12, "sale:1")]
    assert_ledger_sums_to_points(customer)


def test_returns_take_back_a_proportional_share_and_all_of_it_when_everything_comes_back(ventas, customer):
    earn(ventas, customer, 7, "100.00")  # 10 points
    shares = []
    for n, amount in enumerate(["25.00", "25.00", "50.00"], start=1):
        answer = post(ventas, "reversals/", {"sale_reference": "sale:7", "reference": f"sale:7:return:{n}",
                                             "amount": amount}, f"rev-{n}")
        assert answer.status_code == 201, answer.json()
        shares.append(answer.json()["points"])
    assert shares == [2, 3, 5]  # floor(2.5), floor(5) - 2, 10 - 5
    assert balance(customer) == 0
    replay = post(ventas, "reversals/", {"sale_reference": "sale:7", "reference": "sale:7:return:1",
                                         "amount": "25.00"}, "rev-1")
    assert replay.json()["points"] == 2 and balance(customer) == 0
    assert_ledger_sums_to_points(customer)


def test_a_reversal_never_takes_the_balance_below_zero_when_the_points_were_spent(ventas, customer):
    earn(ventas, customer, 8, "100.00")
    assert post(ventas, "reservations/", {"customer": customer, "points": 8, "reference": "sale:9"},
                "hold-9").status_code == 201
    answer = post(ventas, "reversals/", {"sale_reference": "sale:8", "reference": "sale:8:return:1",
                                         "amount": "100.00"})
    assert (answer.json()["points"], answer.json()["taken"], answer.json()["balance"]) == (10, 2, 0)
    entry = PointsEntry.objects.filter(customer_id=customer).order_by("-id").first()
    assert (entry.kind, entry.quantity, entry.balance_after) == ("reverse", -2, 0)
    assert "8 of 10 already spent" in entry.note
    assert_ledger_sums_to_points(customer)


def test_a_reversal_before_its_sales_earning_waits(ventas, customer):
    answer = post(ventas, "reversals/", {"sale_reference": "sale:55", "reference": "sale:55:return:1",
                                         "amount": "1.00"})
    assert answer.status_code == 409 and answer.json()["code"] == "earning_not_found"


def test_points_held_then_confirmed_or_released_each_once(ventas, customer):
    earn(ventas, customer, 10, "200.00")  # 20 points
    held = post(ventas, "reservations/", {"customer": customer, "points": 15, "reference": "sale:11"}, "k-11")
    assert held.status_code == 201
    assert held.json() == {"key": "k-11", "customer": customer, "points": 15, "reference": "sale:11",
                           "status": "held", "balance": 5}
    short = post(ventas, "reservations/", {"customer": customer, "points": 6, "reference": "sale:12"}, "k-12")
    assert short.status_code == 409
    assert (short.json()["code"], short.json()["available"], short.json()["requested"]) == (
        "insufficient_points", 5, 6)
    assert post(ventas, "reservations/", {"customer": customer, "points": 6, "reference": "sale:12"},
                "k-12").json() == short.json()  # the refusal is the key's answer
    release = ventas.post("/internal/loyalty/reservations/k-11/release/", {"reference": "sale:11"}, format="json")
    assert (release.status_code, release.json()["status"], balance(customer)) == (200, "released", 20)
    assert ventas.post("/internal/loyalty/reservations/k-11/release/", {"reference": "sale:11"},
                       format="json").json()["status"] == "released"
    assert balance(customer) == 20  # released once
    assert ventas.post("/internal/loyalty/reservations/k-11/confirm/").status_code == 409
    post(ventas, "reservations/", {"customer": customer, "points": 4, "reference": "sale:13"}, "k-13")
    for _ in range(2):
        confirmed = ventas.post("/internal/loyalty/reservations/k-13/confirm/")
        assert (confirmed.status_code, confirmed.json()["status"]) == (200, "confirmed")
    assert ventas.post("/internal/loyalty/reservations/k-13/release/", {"reference": "sale:13"},
                       format="json").json()["code"] == "reservation_confirmed"
    assert balance(customer) == 16
    assert [e.kind for e in PointsEntry.objects.filter(customer_id=customer)] == ["earn", "spend", "release", "spend"]
    assert_ledger_sums_to_points(customer)


def test_a_release_that_overtakes_its_hold_makes_the_late_hold_take_nothing(ventas, customer):
    earn(ventas, customer, 20, "50.00")
    assert ventas.post("/internal/loyalty/reservations/k-late/release/", {"reference": "sale:21"},
                       format="json").json()["status"] == "released"
    late = post(ventas, "reservations/", {"customer": customer, "points": 3, "reference": "sale:21"}, "k-late")
    assert late.status_code == 409 and late.json()["code"] == "reservation_released"
    assert balance(customer) == 5
    assert ventas.post("/internal/loyalty/reservations/nobody/confirm/").status_code == 404


def test_two_tills_spending_the_same_points_at_once_one_wins(ventas, customer):
    earn(ventas, customer, 30, "100.00")  # 10 points
    start = threading.Barrier(2)

    def till(n: int):
        client = APIClient()
        client.credentials(**caller_credentials("ventas"))
        start.wait()
        try:
            return post(client, "reservations/", {"customer": customer, "points": 8, "reference": f"sale:{31 + n}"},
                        f"till-{n}")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(till, range(2)))
    assert sorted(a.status_code for a in answers) == [201, 409]
    assert [a.json()["code"] for a in answers if a.status_code == 409] == ["insufficient_points"]
    assert balance(customer) == 2
    assert PointsEntry.objects.filter(customer_id=customer, kind="spend").count() == 1
    assert_ledger_sums_to_points(customer)


def test_an_inactive_customer_cannot_spend(ventas, customer):
    earn(ventas, customer, 40, "100.00")
    Customer.objects.filter(pk=customer).update(is_active=False)
    answer = post(ventas, "reservations/", {"customer": customer, "points": 1, "reference": "sale:41"})
    assert answer.status_code == 400 and answer.json()["code"] == "unknown_customer"
    assert balance(customer) == 10


@pytest.mark.parametrize(("path", "body"), [
    ("earnings/", {"customer": 1, "reference": "sale:x", "amount": "1.00"}),
    ("earnings/", {"customer": 1, "reference": "sale:1", "amount": "-1.00"}),
    ("earnings/", {"customer": 0, "reference": "sale:1", "amount": "1.00"}),
    ("reversals/", {"sale_reference": "sale:1", "reference": "sale:1", "amount": "1.00"}),
    ("reservations/", {"customer": 1, "points": 0, "reference": "sale:1"}),
    ("reservations/", {"customer": 1, "points": 10**13, "reference": "sale:1"}),
    ("reservations/", {"customer": 1, "points": "5", "reference": "sale:1"}),
])
def test_bad_bodies_are_400_and_change_nothing(ventas, path, body):
    answer = post(ventas, path, body)
    assert answer.status_code == 400
    assert not PointsEntry.objects.exists()


def test_a_key_is_required(ventas, customer):
    answer = ventas.post("/internal/loyalty/earnings/", {"customer": customer, "reference": "sale:1", "amount": "1.00"},
                         format="json")
    assert answer.status_code == 400 and answer.json()["code"] == "idempotency_key_required"


@pytest.mark.parametrize("caller", ["gateway"])
def test_only_ventas_may_call_loyalty(caller):
    client = APIClient()
    client.credentials(**caller_credentials(caller))
    assert client.get("/internal/loyalty/rules/").status_code == 403
    assert APIClient().get("/internal/loyalty/rules/").status_code == 401


def test_the_customers_ledger_newest_first_with_its_balance_and_value(ventas, customer, client_for):
    earn(ventas, customer, 50, "100.00")
    post(ventas, "reservations/", {"customer": customer, "points": 3, "reference": "sale:51"}, "k-51")
    page = client_for("cashier", [1]).get(f"/api/customers/{customer}/points/?page_size=1")
    assert page.status_code == 200, page.json()
    body = page.json()
    assert (body["customer"], body["points"], body["point_value"], body["value"]) == (customer, 7, "0.10", "0.70")
    assert [(e["kind"], e["quantity"], e["balance_after"], e["reference"]) for e in body["results"]] == [
        ("spend", -3, 7, "sale:51")]
    rest = client_for("auditor").get(f"/api/customers/{customer}/points/?" + body["next"].split("?", 1)[1]).json()
    assert [e["kind"] for e in rest["results"]] == ["earn"] and rest["next"] is None


@pytest.mark.parametrize(("role", "status"), [("warehouse", 403), ("purchaser", 403), ("manager", 200)])
def test_who_reads_points_and_history(client_for, customer, role, status):
    assert client_for(role, [1]).get(f"/api/customers/{customer}/points/").status_code == status


def test_an_unknown_customer_has_no_points_or_history(client_for):
    for what in ("points", "history"):
        assert client_for("admin").get(f"/api/customers/987654321/{what}/").status_code == 404


def test_history_with_ventas_unreachable_is_a_503(client_for, customer, monkeypatch):
    monkeypatch.delenv("EWTTO_VENTAS_URL", raising=False)
    answer = client_for("cashier", [1]).get(f"/api/customers/{customer}/history/")
    assert answer.status_code == 503 and answer.json()["service"] == "ventas"
    assert client_for("cashier", [1]).get(f"/api/customers/{customer}/history/?cursor=zz").status_code == 400
