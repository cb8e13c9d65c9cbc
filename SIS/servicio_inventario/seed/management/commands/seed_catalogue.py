"""`manage.py seed_catalogue --products N`: top the synthetic catalogue up to N products (bin/seed-data)."""
from django.core.management.base import BaseCommand

from seed.catalog import search_term, seed_products_ensure, seeded_product_count
from sis_common.seeding import Progress, refuse_production, write_json


class Command(BaseCommand):
    help = "Create seeded products until there are N of them (bulk, one transaction per batch)."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, required=True)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--out", help="JSON {products, search_term} for the load test")

    def handle(self, *args, products: int, batch: int, out: str | None = None, **options):
        refuse_production()
        have = seeded_product_count()
        progress = Progress("products", max(products - have, 0), self.stdout)
        seed_products_ensure(total=products, batch=batch, advance=progress.advance)
        progress.finish()
        if out:
            write_json(out, {"products": seeded_product_count(), "search_term": search_term()})
