"""bin/seed-data's sales side: priced, numbered sales whose daily totals equal the sales, and their stock moves."""
import csv
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from reports.selectors import daily_report
from sales.models import BranchCounter, SagaStatus, Sale, SaleLine
from seed.sales import Shelf, seed_sales_create, seed_sales_link, seeded_lines

from .builders import make_sale
from .test_reports import expected_from_sales

pytestmark = pytest.mark.django_db(databases=["default", "replica"])
DAY = date(2026, 3, 14)
BRANCHES = {601: "SD601", 602: "SD602"}


def shelves() -> dict[int, Shelf]:
    items = [[p, f"SKU{p}", f"Producto {p}", Decimal(f"{p % 17 + 1}.{p % 100:02d}"), 40] for p in range(1, 26)]
    return {b: Shelf([list(i) for i in items]) for b in BRANCHES}


def test_seeded_sales_are_numbered_totalled_and_moved(tmp_path):
    make_sale(branch_id=601, user_id=5, lines=[(1, "1.00", 1)], code="SD601")  # a real sale first: numbering goes on
    moves = tmp_path / "moves.tsv"
    made = seed_sales_create(shelves=shelves(), branch_codes=BRANCHES, cashiers={601: [5, 6], 602: [7]}, lines=300,
                             day=DAY, moves_path=str(moves), batch=25)
    assert made["lines"] == 300 == seeded_lines(day=DAY)
    seeded = Sale.objects.filter(business_date=DAY, idempotency_key__startswith="seed-")
    assert seeded.count() == made["sales"] and not seeded.exclude(status=SagaStatus.COMPLETED).exists()
    for branch, code in BRANCHES.items():
        numbers = sorted(Sale.objects.filter(branch_id=branch, status=SagaStatus.COMPLETED)
                         .values_list("sequence", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))  # gap-free, after the real sale at 601
        assert BranchCounter.objects.get(branch_id=branch).last_sequence == len(numbers)
        documents = sorted(Sale.objects.filter(branch_id=branch, status=SagaStatus.COMPLETED)
                           .values_list("document_number", flat=True))
        assert documents == [f"B{branch}-{n:08d}" for n in range(1, len(numbers) + 1)]  # receipts, gap-free too
        report = daily_report(day=DAY, branch=branch, branches=None)
        expected = expected_from_sales(branch, DAY)
        assert {k: report[k] for k in ("sales_count", "total", "by_payment_method")} == \
            {k: expected[k] for k in ("sales_count", "total", "by_payment_method")}
        assert [{k: p[k] for k in ("product", "quantity", "total")} for p in report["top_products"]] == \
            expected["top_products"]
    rows = list(csv.reader(moves.open(), delimiter="\t"))
    assert len(rows) == made["sales"]
    sale = Sale.objects.get(pk=int(rows[0][0]))
    assert sorted(tuple(map(int, line.split(":"))) for line in rows[0][4:]) == \
        list(SaleLine.objects.filter(sale=sale).values_list("product_id", "quantity"))
    assert seed_sales_link(documents=iter([(sale.pk, 777)])) == 1
    assert Sale.objects.get(pk=sale.pk).stock_move_id == 777


def test_a_shelf_never_sells_more_than_it_holds(tmp_path):
    tight = {601: Shelf([[1, "SKU1", "Uno", Decimal("1.00"), 3], [2, "SKU2", "Dos", Decimal("2.00"), 2]])}
    made = seed_sales_create(shelves=tight, branch_codes=BRANCHES, cashiers={601: [5]}, lines=50, day=DAY,
                             moves_path=str(tmp_path / "m.tsv"))
    sold = dict(SaleLine.objects.filter(sale__business_date=DAY, sale__branch_id=601).values_list("product_id")
                .order_by().annotate(q=Sum("quantity")))
    assert made["lines"] < 50
    assert sold.get(1, 0) <= 3 and sold.get(2, 0) <= 2
