"""Reports: the daily report equals the sum of the sales it covers; range reports; who may see them."""
import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import transaction

from sales import services
from sales.pricing import Discount
from sales.models import Payment, SagaStatus, Sale, SaleLine, SaleReturn

from .builders import make_sale

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def expected_from_sales(branch_id: int, day) -> dict:
    """The report computed the slow way, straight from the sales tables."""
    sales = Sale.objects.using("default").filter(branch_id=branch_id, business_date=day,
                                                 status=SagaStatus.COMPLETED)
    by_method = defaultdict(lambda: D("0.00"))
    for payment in Payment.objects.using("default").filter(sale__in=sales):
        by_method[payment.method] += payment.amount
    by_method["cash"] -= sum((s.change for s in sales), D("0.00"))
    products = defaultdict(lambda: [0, D("0.00")])
    for line in SaleLine.objects.using("default").filter(sale__in=sales):
        products[line.product_id][0] += line.quantity
        products[line.product_id][1] += line.total
    top = sorted(products.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[:10]
    return {
        "sales_count": sales.count(),
        "total": f"{sum((s.total for s in sales), D('0.00')):.2f}",
        "discount_total": f"{sum((s.discount_total for s in sales), D('0.00')):.2f}",
        "by_payment_method": {m: f"{by_method[m]:.2f}" for m in ("cash", "card", "transfer", "points")},
        "top_products": [{"product": p, "quantity": q, "total": f"{t:.2f}"} for p, (q, t) in top],
    }


def test_daily_report_equals_the_sum_of_its_sales(client_for):
    rng = random.Random(5)
    for i in range(40):
        lines = [(p, f"{rng.randint(1, 5000) / 100:.2f}", rng.randint(1, 4)) for p in rng.sample(range(1, 16), 3)]
        discount = [None, Discount(percent=D("12.5")), Discount(amount=D("1.37"))][i % 3]
        make_sale(branch_id=1, user_id=rng.choice([1, 2]), lines=lines, complete=i % 7 != 0, discount=discount,
                  payments=None if i % 2 else [("card", "0.01"), ("cash", "9999.00")])
    make_sale(branch_id=2, user_id=1, lines=[(1, "99.00", 9)])  # another branch: not in branch 1's report
    rejected = make_sale(branch_id=1, user_id=1, lines=[(1, "99.00", 9)], complete=False)
    with transaction.atomic():
        services.sale_reject(sale=Sale.objects.select_for_update().get(pk=rejected.pk), rejection={"code": "x"})
    day = Sale.objects.first().business_date
    report = client_for("manager", [1]).get(f"/api/sales/reports/daily/?branch=1&date={day}").json()
    expected = expected_from_sales(1, day)
    assert {k: report[k] for k in expected} | {"top_products": [
        {k: p[k] for k in ("product", "quantity", "total")} for p in report["top_products"]]} == expected
    assert report["branch"] == 1 and report["date"] == day.isoformat()
    assert sum(D(v) for v in report["by_payment_method"].values()) == D(report["total"])
    assert report["sales_count"] == 40 - 6  # every 7th of 40 stayed pending
    assert D(report["discount_total"]) > 0
    assert all(p["name"] for p in report["top_products"])


def test_returns_show_beside_sales_and_net(client_for):
    sale = make_sale(branch_id=3, user_id=1, lines=[(1, "10.00", 2)], payments=[("card", "23.60")])
    created = services.return_create(request=services.ReturnRequest(
        sale_id=sale.pk, user_id=1, idempotency_key="r", request_hash="x", lines=[(1, 1)], reason="",
        refund_method="card"))
    with transaction.atomic():
        services.return_complete(sale_return=SaleReturn.objects.select_for_update().get(pk=created.pk),
                                 stock_move_id=1)
    report = client_for("admin").get(f"/api/sales/reports/daily/?branch=3&date={sale.business_date}").json()
    assert (report["total"], report["returns_total"], report["net_total"]) == ("23.60", "11.80", "11.80")
    assert report["refunds_by_payment_method"] == {"cash": "0.00", "card": "11.80", "transfer": "0.00", "points": "0.00"}
    assert report["top_products"][0]["quantity"] == 2  # sold, before returns


def test_range_report_by_branch_and_by_cashier(client_for):
    make_sale(branch_id=4, user_id=1, lines=[(1, "10.00", 1)])
    make_sale(branch_id=4, user_id=2, lines=[(1, "10.00", 2)])
    # 10 % off 10.00 before tax: 1.00 off, 10.62 to pay
    make_sale(branch_id=4, user_id=2, lines=[(2, "10.00", 1)], discount=Discount(percent=D("10")))
    make_sale(branch_id=5, user_id=1, lines=[(1, "10.00", 3)])
    day = Sale.objects.first().business_date
    span = f"date_from={day - timedelta(days=3)}&date_to={day}"
    client = client_for("auditor")
    by_branch = {r["branch"]: r for r in client.get(f"/api/sales/reports/range/?{span}").json()["results"]}
    assert (by_branch[4]["sales_count"], by_branch[4]["total"], by_branch[4]["discount_total"]) == (3, "46.02", "1.00")
    assert by_branch[5]["total"] == "35.40"
    by_cashier = client.get(f"/api/sales/reports/range/?{span}&group_by=cashier&branch=4").json()["results"]
    assert [(r["branch"], r["cashier"], r["sales_count"], r["total"], r["discount_total"]) for r in by_cashier] == [
        (4, 1, 1, "11.80", "0.00"), (4, 2, 2, "34.22", "1.00")]
    manager = client_for("manager", [5])
    assert {r["branch"] for r in manager.get(f"/api/sales/reports/range/?{span}").json()["results"]} == {5}
    assert manager.get(f"/api/sales/reports/range/?{span}&branch=4").status_code == 403
    bad = client.get(f"/api/sales/reports/range/?date_from={day}&date_to={day - timedelta(days=1)}")
    assert bad.status_code == 400


def test_who_may_see_reports(client_for):
    assert client_for("manager", [1]).get("/api/sales/reports/daily/?branch=2").status_code == 403
    assert client_for("cashier", [1]).get("/api/sales/reports/daily/?branch=1").status_code == 403
    assert client_for("warehouse", [1]).get("/api/sales/reports/daily/?branch=1").status_code == 403
    empty = client_for("auditor").get("/api/sales/reports/daily/?branch=2&date=2001-01-01").json()
    assert empty == {
        "branch": 2, "date": "2001-01-01", "sales_count": 0, "subtotal": "0.00", "tax": "0.00", "total": "0.00",
        "discount_total": "0.00",
        "by_payment_method": {"cash": "0.00", "card": "0.00", "transfer": "0.00", "points": "0.00"}, "returns_count": 0,
        "returns_total": "0.00", "refunds_by_payment_method": {"cash": "0.00", "card": "0.00", "transfer": "0.00", "points": "0.00"},
        "net_total": "0.00", "top_products": [],
    }
    assert client_for("admin").get("/api/sales/reports/daily/?date=2001-13-01").status_code == 400
