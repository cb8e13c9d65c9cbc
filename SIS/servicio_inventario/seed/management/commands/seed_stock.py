"""`manage.py seed_stock --branches FILE --per-branch K --out FILE`: stock of the seeded assortment (bin/seed-data).

Every branch gets a stock row, received through the ledger, for each of the
first K seeded products; then every stocked (branch, product) is written to
--out (tab-separated) for servicio_ventas' seeding to sell from.
"""
import csv

from django.core.management.base import BaseCommand

from seed.stock import seed_stock_ensure, seeded_products, stocked_rows
from sis_common.seeding import Progress, read_json, refuse_production

COLUMNS = ("branch", "product", "available", "sku", "name", "price")


class Command(BaseCommand):
    help = "Receive stock of the first K seeded products at every seeded branch, and export what is stocked."

    def add_arguments(self, parser):
        parser.add_argument("--branches", required=True, help="JSON [{id, code}] from seed_branches")
        parser.add_argument("--per-branch", type=int, required=True)
        parser.add_argument("--quantity", type=int, default=10_000)
        parser.add_argument("--min-quantity", type=int, default=20)
        parser.add_argument("--out", required=True)

    def handle(self, *args, **options):
        refuse_production()
        branches = [b["id"] for b in read_json(options["branches"])]
        products = seeded_products(count=options["per_branch"])
        progress = Progress("stock rows", len(branches) * len(products), self.stdout)
        seed_stock_ensure(branches=branches, products=products, quantity=options["quantity"],
                          min_quantity=options["min_quantity"], advance=progress.advance)
        progress.finish()
        with open(options["out"], "w", newline="") as fh:
            writer = csv.DictWriter(fh, COLUMNS, delimiter="\t")
            for row in stocked_rows(branches=branches, products=products):
                writer.writerow(row)
