"""`manage.py seed_sale_moves --moves FILE --out FILE`: the stock moves of seeded sales (bin/seed-data).

Reads the sales servicio_ventas' seeding wrote, takes their stock out
through documents and ledger rows (seed.stock), and writes
`sale<TAB>document` for each so servicio_ventas links its sales to them.
"""
from django.core.management.base import BaseCommand

from seed.stock import read_sale_moves, seed_sale_moves_apply
from sis_common.seeding import Progress, refuse_production


class Command(BaseCommand):
    help = "Apply the stock moves of seeded sales (documents, ledger rows, stock)."

    def add_arguments(self, parser):
        parser.add_argument("--moves", required=True)
        parser.add_argument("--lines", type=int, default=0, help="how many lines the file holds (progress only)")
        parser.add_argument("--out", required=True)

    def handle(self, *args, **options):
        refuse_production()
        progress = Progress("sale stock moves", options["lines"], self.stdout)
        documents = seed_sale_moves_apply(moves=read_sale_moves(options["moves"]), advance=progress.advance)
        progress.finish()
        with open(options["out"], "w") as fh:
            fh.writelines(f"{sale}\t{document}\n" for sale, document in sorted(documents.items()))
