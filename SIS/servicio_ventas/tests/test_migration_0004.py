"""Sales made before per-line taxes get lines whose net and tax add up to what the sale stored (sales.0004)."""
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
BEFORE = ("sales", "0003_acting_token")
AFTER = ("sales", "0004_pos_taxes_discounts")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target[0]).apps


def test_old_sales_get_per_line_net_and_tax_adding_up_to_the_stored_tax():
    try:
        old = _migrate([BEFORE])
        Sale, SaleLine = old.get_model("sales", "Sale"), old.get_model("sales", "SaleLine")
        SaleReturn, ReturnLine = old.get_model("sales", "SaleReturn"), old.get_model("sales", "ReturnLine")
        common = {"status": "completed", "user_id": 1, "request_hash": "h", "business_date": "2026-01-02",
                  "branch_id": 990, "branch_code": "OLD", "tax_rate": D("0.18"), "paid": 0, "change": 0}
        # 1.11 + 2.22 + 3.33 = 6.66, one tax on the subtotal: 1.1988 -> 1.20; per line 0.20 + 0.40 + 0.60 = 1.20
        even = Sale.objects.create(idempotency_key="m1", saga_key="m1", subtotal=D("6.66"), tax=D("1.20"),
                                   total=D("7.86"), **common)
        for product, price in ((1, "1.11"), (2, "2.22"), (3, "3.33")):
            SaleLine.objects.create(sale=even, product_id=product, name="x", unit_price=D(price), quantity=1,
                                    total=D(price))
        # 0.03 + 0.03 + 5.03: per line 0.01 + 0.01 + 0.91 (0.9054), one more cent than the stored tax
        uneven = Sale.objects.create(idempotency_key="m2", saga_key="m2", subtotal=D("5.09"), tax=D("0.92"),
                                     total=D("6.01"), **common)
        for product, price in ((1, "0.03"), (2, "0.03"), (3, "5.03")):
            SaleLine.objects.create(sale=uneven, product_id=product, name="x", unit_price=D(price), quantity=1,
                                    total=D(price))
        back = SaleReturn.objects.create(sale=uneven, branch_id=990, user_id=1, idempotency_key="m3", saga_key="m3",
                                         request_hash="h", business_date="2026-01-02", refund_method="cash",
                                         subtotal=D("5.06"), tax=D("0.91"), refund_amount=D("5.97"), status="completed")
        for product, price in ((1, "0.03"), (3, "5.03")):
            ReturnLine.objects.create(sale_return=back, product_id=product, quantity=1, unit_price=D(price),
                                      total=D(price))
        new = _migrate([AFTER])
        lines = new.get_model("sales", "SaleLine").objects.order_by("sale_id", "product_id")
        assert [(str(x.tax_rate), str(x.net), str(x.tax), str(x.total)) for x in lines.filter(sale_id=even.pk)] == [
            ("0.1800", "1.11", "0.20", "1.31"), ("0.1800", "2.22", "0.40", "2.62"), ("0.1800", "3.33", "0.60", "3.93")]
        # 5.09 x 0.18 = 0.9162 -> 0.92 stored; per line 0.01 + 0.01 + 0.91 = 0.93: the cent off the largest line
        assert [(str(x.net), str(x.tax)) for x in lines.filter(sale_id=uneven.pk)] == [
            ("0.03", "0.01"), ("0.03", "0.01"), ("5.03", "0.90")]
        assert sum(x.total for x in lines.filter(sale_id=uneven.pk)) == D("6.01")
        returned = new.get_model("sales", "ReturnLine").objects.filter(sale_return_id=back.pk).order_by("product_id")
        assert [(str(x.net), str(x.tax), str(x.total)) for x in returned] == [
            ("0.03", "0.01", "0.04"), ("5.03", "0.90", "5.93")]  # 0.01 + 0.91 per line, 0.91 stored
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
