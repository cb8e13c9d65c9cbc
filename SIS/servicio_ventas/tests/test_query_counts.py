"""No N+1: sales lists, a sale's completion and the daily report cost a fixed number of statements."""
import itertools

import pytest
from django.db import transaction

from sales import services
from sales.models import Sale, SaleReturn
from sis_common.testing.queries import statements, statements_for_get as count

from .builders import make_sale

pytestmark = pytest.mark.django_db(databases=["default", "replica"])
BRANCH = 401
_keys = (f"qc-{i}" for i in itertools.count())


def sales_with_returns(n: int, branch: int = BRANCH) -> None:
    for i in range(n):
        sale = make_sale(branch_id=branch, user_id=7, lines=[(p, "2.50", 2) for p in (11, 12, 13)], code="QC")
        if i % 2 == 0:
            key = next(_keys)
            sale_return = services.return_create(request=services.ReturnRequest(
                sale_id=sale.pk, user_id=7, idempotency_key=key, request_hash=key, lines=[(11, 1)], reason="",
                refund_method="cash"))
            with transaction.atomic():
                services.return_complete(sale_return=SaleReturn.objects.select_for_update().get(pk=sale_return.pk),
                                         stock_move_id=1)


def test_sales_list_costs_the_same_for_more_sales(admin_client):
    sales_with_returns(2)
    few = count(admin_client, f"/api/sales/?branch={BRANCH}")
    sales_with_returns(12)
    many = count(admin_client, f"/api/sales/?branch={BRANCH}")
    # the page (no count: keyset pages), then lines, payments, returns and the returns' lines for the whole page
    assert few == many == 5


def test_sale_detail_costs_the_same_for_more_lines(admin_client):
    small = make_sale(branch_id=BRANCH, user_id=7, lines=[(1, "1.00", 1)], code="QC")
    large = make_sale(branch_id=BRANCH, user_id=7, lines=[(p, "1.00", 1) for p in range(1, 40)], code="QC")
    assert count(admin_client, f"/api/sales/{small.pk}/") == count(admin_client, f"/api/sales/{large.pk}/") <= 5


def complete(lines: list[tuple[int, str, int]]) -> int:
    sale = make_sale(branch_id=BRANCH + 1, user_id=7, lines=lines, code="QC", complete=False)
    with transaction.atomic():
        locked = Sale.objects.select_for_update().get(pk=sale.pk)
        known_lines, known_payments = list(locked.lines.all()), list(locked.payments.all())
        with statements() as sent:
            services.sale_complete(sale=locked, stock_move_id=1, lines=known_lines, payments=known_payments)
    return len(sent)


def test_completing_a_sale_costs_the_same_for_more_lines():
    # number, document number, status, then the branch's, the products' (one statement) and the cashier's
    # daily totals
    assert complete([(1, "1.00", 1)]) == complete([(p, "1.00", 2) for p in range(1, 30)]) == 6


def test_daily_report_costs_the_same_for_more_products(client_for):
    make_sale(branch_id=BRANCH + 2, user_id=7, lines=[(1, "1.00", 1)], code="QC")
    day = Sale.objects.filter(branch_id=BRANCH + 2).first().business_date
    manager = client_for("manager", [BRANCH + 2])
    admin = client_for("admin")
    one_branch = count(manager, f"/api/sales/reports/daily/?branch={BRANCH + 2}&date={day}")
    every_branch = count(admin, f"/api/sales/reports/daily/?date={day}")
    for n in range(20):
        make_sale(branch_id=BRANCH + 2 + n % 3, user_id=7, lines=[(100 + n, "3.00", 1 + n % 4)], code="QC")
    assert count(manager, f"/api/sales/reports/daily/?branch={BRANCH + 2}&date={day}") == one_branch == 2
    # every branch: totals, the top ten summed, their names
    assert count(admin, f"/api/sales/reports/daily/?date={day}") == every_branch == 3
