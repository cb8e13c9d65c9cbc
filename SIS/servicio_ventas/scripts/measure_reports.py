"""Seed a throwaway MariaDB pair with a million sale lines and time the report endpoints.

Run from SIS/servicio_ventas:
    DJANGO_SETTINGS_MODULE=config.settings.test ../../.venv/bin/python scripts/measure_reports.py
The test settings start a private pair on free ports (nothing else is touched).
The figures go to docs/sales.md; they are a measurement, not a test.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("EWTTO_DB_READ_TIMEOUT", "1800")  # the seed's bulk statements run for minutes

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from sis_common.mariadb import replication  # noqa: E402
from sis_common.testing import pair as test_pair  # noqa: E402
from sis_common.testing.tokens import auth_header  # noqa: E402

SALES, LINES_PER_SALE, BRANCHES, DAYS, PRODUCTS, CASHIERS = 250_000, 4, 20, 365, 2000, 30

SEED = [
    f"""INSERT INTO sales_sale (status, user_id, idempotency_key, request_hash, saga_key, stock_move_id, attempts,
        last_error, business_date, created_at, completed_at, branch_id, branch_code, sequence, number, tax_rate,
        subtotal, tax, total, paid, `change`)
        SELECT 'completed', 1 + seq % {CASHIERS}, CONCAT('seed-', seq), 'h', CONCAT('seed-', seq), seq, 0, '',
        DATE '2025-01-01' + INTERVAL (seq % {DAYS}) DAY, NOW(), NOW(), 1 + (seq DIV {DAYS}) % {BRANCHES}, 'S', seq,
        CONCAT('S-', seq), 0.18, 0, 0, 0, 0, 0 FROM seq_1_to_{SALES}""",
    f"""INSERT INTO sales_saleline (sale_id, product_id, sku, name, unit_price, quantity, total, unit_cost)
        SELECT s.id, 1 + ((s.id * 7 + k.seq * 13) % {PRODUCTS}), '', CONCAT('Product ', 1 + ((s.id * 7 + k.seq * 13) % {PRODUCTS})),
        2.50 + (k.seq % 3), 1 + (s.id + k.seq) % 3, (2.50 + (k.seq % 3)) * (1 + (s.id + k.seq) % 3), 1.75
        FROM sales_sale s JOIN seq_1_to_{LINES_PER_SALE} k""",
    """UPDATE sales_sale s JOIN (SELECT sale_id, SUM(total) t FROM sales_saleline GROUP BY sale_id) l
        ON l.sale_id = s.id SET s.subtotal = l.t, s.tax = ROUND(l.t * 0.18, 2), s.total = l.t + ROUND(l.t * 0.18, 2),
        s.paid = l.t + ROUND(l.t * 0.18, 2)""",
    """INSERT INTO sales_payment (sale_id, method, amount)
        SELECT id, ELT(1 + id % 3, 'cash', 'card', 'transfer'), total FROM sales_sale""",
    # the aggregates as the completions would have left them
    """INSERT INTO reports_dailybranchtotals (branch_id, date, sales_count, subtotal, tax, total, cash, card, transfer)
        SELECT branch_id, business_date, COUNT(*), SUM(subtotal), SUM(tax), SUM(total), SUM(IF(id % 3 = 0, total, 0)),
        SUM(IF(id % 3 = 1, total, 0)), SUM(IF(id % 3 = 2, total, 0)) FROM sales_sale GROUP BY branch_id, business_date""",
    """INSERT INTO reports_dailyproducttotals (branch_id, date, product_id, name, quantity, total)
        SELECT s.branch_id, s.business_date, l.product_id, MAX(l.name), SUM(l.quantity), SUM(l.total)
        FROM sales_saleline l JOIN sales_sale s ON s.id = l.sale_id GROUP BY s.branch_id, s.business_date, l.product_id""",
    """INSERT INTO reports_dailycashiertotals (branch_id, date, user_id, sales_count, total, cash, card, transfer)
        SELECT branch_id, business_date, user_id, COUNT(*), SUM(total), SUM(IF(id % 3 = 0, total, 0)),
        SUM(IF(id % 3 = 1, total, 0)), SUM(IF(id % 3 = 2, total, 0)) FROM sales_sale
        GROUP BY branch_id, business_date, user_id""",
    "ANALYZE TABLE sales_sale, sales_saleline, sales_payment, reports_dailybranchtotals, reports_dailyproducttotals, "
    "reports_dailycashiertotals",
]

# the same daily figures straight from the sale lines (what the aggregates spare every report)
SCAN = """SELECT l.product_id, SUM(l.quantity) q, SUM(l.total) t FROM sales_saleline l
    JOIN sales_sale s ON s.id = l.sale_id WHERE s.branch_id = %s AND s.business_date = %s AND s.status = 'completed'
    GROUP BY l.product_id ORDER BY q DESC, t DESC LIMIT 10"""


def timed(fn, runs: int = 30) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with connection.cursor() as cur:
        # the seed's GROUP BYs fit in memory: no on-disk temporary tables
        cur.execute("SET SESSION max_heap_table_size = 1073741824, tmp_memory_table_size = 1073741824")
        # columns the seed does not name (added since it was written) take their type's implicit default
        cur.execute("SET SESSION sql_mode = ''")
        for number, statement in enumerate(SEED):
            print(f"seed step {number}", flush=True)
            cur.execute(statement)
        cur.execute("SELECT COUNT(*) FROM sales_saleline")
        lines = cur.fetchone()[0]
    print(f"seeded {lines} sale lines in {time.perf_counter() - started:.0f} s")
    # reports read the replica: time them once it has applied the seed, as in steady use
    (pair,) = test_pair._pairs.values()
    primary, replica = replication.current_roles(pair.spec)
    replication.wait_caught_up(pair.spec, primary, replica, timeout=1200)
    client = Client(HTTP_HOST="127.0.0.1", **auth_header(role="admin"))

    def get(path):
        answer = client.get(path)
        assert answer.status_code == 200, answer.content

    print(f"daily report (branch, day): median {timed(lambda: get('/api/sales/reports/daily/?branch=5&date=2025-06-01')):.1f} ms")
    print(f"daily report (all branches, day): median {timed(lambda: get('/api/sales/reports/daily/?date=2025-06-01')):.1f} ms")
    print(f"range report by branch, 365 days: median "
          f"{timed(lambda: get('/api/sales/reports/range/?date_from=2025-01-01&date_to=2025-12-31')):.1f} ms")
    print(f"range report by cashier, 365 days: median "
          f"{timed(lambda: get('/api/sales/reports/range/?date_from=2025-01-01&date_to=2025-12-31&group_by=cashier')):.1f} ms")

    year = "date_from=2025-01-01&date_to=2025-12-31"

    def product_report(query: str) -> None:
        answer = client.get(f"/api/sales/reports/products/?{query}")
        assert answer.status_code == 200, answer.content
        # a file streams: read it all, as the client would
        assert b"".join(answer.streaming_content) if answer.streaming else answer.content

    for fmt in ("json", "csv", "xlsx"):
        print(f"product report, every branch, 365 days (1,000,000 lines, 2,000 rows), {fmt}: median "
              f"{timed(lambda: product_report(f'{year}&format={fmt}'), runs=5):.0f} ms")
    print(f"product report, one branch, 365 days, csv: median "
          f"{timed(lambda: product_report(f'branch=5&{year}&format=csv'), runs=5):.0f} ms")

    def scan():
        with connection.cursor() as cur:
            cur.execute(SCAN, [5, "2025-06-01"])
            cur.fetchall()

    print(f"same top products scanned from sale lines (indexed): median {timed(scan):.1f} ms")


if __name__ == "__main__":
    main()
