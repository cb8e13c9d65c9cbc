"""Purchasing reports on orders and receipts stored as the orders app leaves them: open orders by supplier and
branch, value received by day, branch or supplier, supplier lead time met; roles, branch scope, files."""
import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from orders import services
from orders.models import OrderStatus, PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine, ReceiptStatus
from reports import selectors
from suppliers.models import Supplier, SupplierProduct

from .builders import new_ruc

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
TODAY = date(2026, 11, 21)
NOVEMBER = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}
_serial = iter(range(10**6))


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def order(supplier, branch, lines, *, status, confirmed=None, expected_on=None) -> PurchaseOrder:
    made = services.order_create(supplier_id=supplier.pk, branch_id=branch, expected_on=expected_on,
                                 lines=[services.OrderLineIn(p, q, Decimal(c)) for p, q, c in lines])
    PurchaseOrder.objects.filter(pk=made.pk).update(status=status, confirmed_at=confirmed and at(confirmed))
    return made


def receive(made, day, lines, *, status=ReceiptStatus.COMPLETED):
    """A receipt as the orders app leaves it once inventory took it in: its lines added to the order's received."""
    receipt = Receipt.objects.create(order=made, delivery_note=f"GR-{next(_serial)}", status=status, user_id=1,
                                     idempotency_key=f"k-{next(_serial)}", request_hash="x",
                                     saga_key=f"s-{next(_serial)}",
                                     settled_at=at(day) if status == ReceiptStatus.COMPLETED else None)
    for product, quantity, cost in lines:
        ReceiptLine.objects.create(receipt=receipt, product=product, quantity=quantity, unit_cost=Decimal(cost))
        if status == ReceiptStatus.COMPLETED:
            line = PurchaseOrderLine.objects.get(order=made, product=product)
            line.received += quantity
            line.save()


@pytest.fixture
def november(known_branches):
    a = Supplier.objects.create(code="A", name="Alfa", tax_id=new_ruc())
    b = Supplier.objects.create(code="B", name="Beta", tax_id=new_ruc())
    SupplierProduct.objects.create(supplier=a, product=1, unit_cost="2.00", lead_time_days=3)
    SupplierProduct.objects.create(supplier=a, product=2, unit_cost="4.00", lead_time_days=5)
    SupplierProduct.objects.create(supplier=b, product=3, unit_cost="1.50", lead_time_days=2)
    late = order(a, 1, [(1, 10, "2.00"), (2, 5, "4.00")], status=OrderStatus.RECEIVED, confirmed=date(2026, 11, 2))
    receive(late, date(2026, 11, 4), [(1, 10, "2.00")])
    receive(late, date(2026, 11, 9), [(2, 5, "4.50")])  # 7 days after confirmation, lead time 5
    on_time = order(a, 2, [(1, 20, "2.00")], status=OrderStatus.RECEIVED, confirmed=date(2026, 11, 10))
    receive(on_time, date(2026, 11, 12), [(1, 20, "2.00")])  # 2 days, lead time 3
    coming = order(b, 1, [(3, 8, "1.50")], status=OrderStatus.PARTIALLY_RECEIVED, confirmed=date(2026, 11, 20),
                   expected_on=date(2026, 11, 20))
    receive(coming, date(2026, 11, 21), [(3, 3, "1.50")])
    receive(coming, date(2026, 11, 21), [(3, 2, "1.50")], status=ReceiptStatus.PENDING)  # not in stock yet
    order(b, 1, [(3, 4, "1.50")], status=OrderStatus.CONFIRMED, confirmed=date(2026, 11, 1))  # 20 days, nothing came
    order(a, 1, [(1, 1, "2.00")], status=OrderStatus.DRAFT)
    order(a, 1, [(1, 1, "2.00")], status=OrderStatus.CANCELLED, confirmed=date(2026, 11, 5))
    return a, b


def test_open_orders_by_supplier_and_branch(november):
    a, b = november
    assert selectors.open_orders(branches=None, today=TODAY) == [{
        "supplier": b.pk, "supplier_code": "B", "supplier_name": "Beta", "branch": 1, "orders": 2,
        "overdue_orders": 1, "ordered_units": 12, "received_units": 3, "outstanding_units": 9,
        "ordered_value": "18.00", "received_value": "4.50", "outstanding_value": "13.50"}]
    assert selectors.open_orders(branches=frozenset({2}), today=TODAY) == []
    assert selectors.open_orders(branches=None, supplier=a.pk, today=TODAY) == []


def test_received_value_by_day_branch_and_supplier(november):
    a, b = november
    by_day = selectors.received_value(group_by="day", branches=None, **NOVEMBER)
    assert by_day["results"] == [
        {"date": "2026-11-04", "receipts": 1, "orders": 1, "units": 10, "value": "20.00"},
        {"date": "2026-11-09", "receipts": 1, "orders": 1, "units": 5, "value": "22.50"},
        {"date": "2026-11-12", "receipts": 1, "orders": 1, "units": 20, "value": "40.00"},
        {"date": "2026-11-21", "receipts": 1, "orders": 1, "units": 3, "value": "4.50"},
    ]
    assert by_day["total"] == {"receipts": 4, "orders": 3, "units": 38, "value": "87.00"}
    assert selectors.received_value(group_by="supplier", branches=None, **NOVEMBER)["results"] == [
        {"supplier": a.pk, "supplier_code": "A", "supplier_name": "Alfa", "receipts": 3, "orders": 2, "units": 35,
         "value": "82.50"},
        {"supplier": b.pk, "supplier_code": "B", "supplier_name": "Beta", "receipts": 1, "orders": 1, "units": 3,
         "value": "4.50"},
    ]
    assert selectors.received_value(group_by="branch", branches=None, **NOVEMBER)["results"] == [
        {"branch": 1, "receipts": 3, "orders": 2, "units": 18, "value": "47.00"},
        {"branch": 2, "receipts": 1, "orders": 1, "units": 20, "value": "40.00"},
    ]
    # the days are both included, and nothing outside them counts
    one_day = selectors.received_value(group_by="day", branches=None, date_from=date(2026, 11, 9),
                                       date_to=date(2026, 11, 9))
    assert [r["date"] for r in one_day["results"]] == ["2026-11-09"] and one_day["total"]["value"] == "22.50"
    scoped = selectors.received_value(group_by="day", branches=frozenset({2}), **NOVEMBER)
    assert [r["date"] for r in scoped["results"]] == ["2026-11-12"]
    assert selectors.received_value(group_by="day", branches=None, supplier=b.pk, **NOVEMBER)["total"]["value"] == \
        "4.50"
    empty = selectors.received_value(group_by="day", branches=None, date_from=date(2026, 10, 1),
                                     date_to=date(2026, 10, 31))
    assert empty == {"results": [], "total": {"receipts": 0, "orders": 0, "units": 0, "value": "0.00"}}


def test_supplier_lead_time_met(november):
    a, b = november
    assert selectors.lead_time(branches=None, today=TODAY, **NOVEMBER) == [
        {"supplier": a.pk, "supplier_code": "A", "supplier_name": "Alfa", "orders": 2, "received": 2, "on_time": 1,
         "late": 1, "pending": 0, "on_time_rate": "0.5000", "average_days": "4.50"},
        {"supplier": b.pk, "supplier_code": "B", "supplier_name": "Beta", "orders": 2, "received": 0, "on_time": 0,
         "late": 1, "pending": 1, "on_time_rate": "0.0000", "average_days": None},
    ]
    (only,) = selectors.lead_time(branches=frozenset({2}), today=TODAY, **NOVEMBER)
    assert (only["supplier_code"], only["on_time"], only["late"], only["on_time_rate"]) == ("A", 1, 0, "1.0000")
    assert selectors.lead_time(branches=None, today=TODAY, date_from=date(2026, 12, 1),
                               date_to=date(2026, 12, 31)) == []


REPORTS = ["/api/purchasing/reports/open-orders/",
           "/api/purchasing/reports/received/?date_from=2026-11-01&date_to=2026-11-30",
           "/api/purchasing/reports/lead-time/?date_from=2026-11-01&date_to=2026-11-30"]


@pytest.mark.parametrize("url", REPORTS)
def test_who_reads_the_reports(client_for, november, url):
    joiner = "&" if "?" in url else "?"
    for role, branches in (("admin", []), ("auditor", []), ("purchaser", [1]), ("manager", [1])):
        answer = client_for(role, branches=branches).get(url)
        assert answer.status_code == 200 and answer.json()["results"], (role, answer.content)
    for role, branches in (("cashier", [1]), ("warehouse", [1])):
        assert client_for(role, branches=branches).get(url).status_code == 403, role
    assert client_for("manager", branches=[2]).get(f"{url}{joiner}branch=1").status_code == 403
    seen = client_for("purchaser", branches=[2]).get(url).json()["results"]
    assert all(row.get("branch", 2) == 2 for row in seen)


@pytest.mark.parametrize("query", [
    "received/", "received/?date_from=2026-11-01", "received/?date_from=2026-11-30&date_to=2026-11-01",
    "received/?date_from=2025-01-01&date_to=2026-11-01", "received/?date_from=2026-11-01&date_to=2026-11-30&group_by=x",
    "lead-time/?date_from=x&date_to=2026-11-30", "open-orders/?format=pdf", "open-orders/?branch=0",
    "open-orders/?supplier=x", "open-orders/?branch=1&branch=2",
])
def test_bad_report_queries_are_400(client_for, query):
    answer = client_for("admin").get(f"/api/purchasing/reports/{query}")
    assert answer.status_code == 400, (query, answer.content)


def test_reports_as_files(client_for, november):
    admin = client_for("admin")
    answer = admin.get("/api/purchasing/reports/received/?date_from=2026-11-01&date_to=2026-11-30&group_by=supplier"
                       "&format=csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert 'filename="received-supplier-2026-11-01-2026-11-30.csv"' in answer["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    assert [(r["supplier_code"], r["units"], r["value"]) for r in rows] == [("A", "35", "82.50"), ("B", "3", "4.50")]
    xlsx = admin.get("/api/purchasing/reports/open-orders/?format=xlsx")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    header, *data = list(sheet.values)
    assert header[:4] == ("supplier", "supplier_code", "supplier_name", "branch")
    assert [(r[1], r[4], r[-1]) for r in data] == [("B", 2, 13.5)]
    lead = admin.get("/api/purchasing/reports/lead-time/?date_from=2026-11-01&date_to=2026-11-30&format=csv")
    lines = b"".join(lead.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "supplier,supplier_code,supplier_name,orders,received,on_time,late,pending,on_time_rate," \
                       "average_days" and len(lines) == 3
