"""`manage.py seed_sales --stock FILE --branches FILE --users FILE --lines N --moves FILE`: seeded sales (bin/seed-data).

Completed sales with about N lines in all, on --date (default today), sold
by the seeded cashiers from what inventario's seed_stock exported; their stock
moves go to --moves for inventario's seed_sale_moves. With --link FILE
instead, records inventory's documents on the sales (seed_sale_moves' output).
"""
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sales.services import business_date
from seed.sales import read_documents, read_shelves, seed_sales_create, seed_sales_link, seeded_lines
from sis_common.seeding import Progress, read_json, refuse_production


class Command(BaseCommand):
    help = "Create seeded completed sales (with daily totals), or link them to inventory's stock documents."

    def add_arguments(self, parser):
        parser.add_argument("--stock", help="inventario's seed_stock export")
        parser.add_argument("--branches", help="JSON [{id, code}] from seed_branches")
        parser.add_argument("--users", help="JSON [{id, role, branches}] from seed_users")
        parser.add_argument("--lines", type=int, default=0, help="seeded sale lines wanted on the date, in all")
        parser.add_argument("--date", type=date.fromisoformat, default=None)
        parser.add_argument("--moves", help="where the sales' stock moves are written")
        parser.add_argument("--link", help="seed_sale_moves' output: sale<TAB>document per line")

    def handle(self, *args, **options):
        refuse_production()
        if options["link"]:
            progress = Progress("sales linked", options["lines"], self.stdout)
            seed_sales_link(documents=read_documents(options["link"]), advance=progress.advance)
            progress.finish()
            return
        if not all(options[k] for k in ("stock", "branches", "users", "moves")):
            raise CommandError("--stock, --branches, --users and --moves are needed (or --link)")
        codes = {b["id"]: b["code"] for b in read_json(options["branches"])}
        cashiers: dict[int, list[int]] = {}
        for user in read_json(options["users"]):
            if user["role"] == "cashier":
                for branch in user["branches"]:
                    cashiers.setdefault(branch, []).append(user["id"])
        shelves = {b: s for b, s in read_shelves(options["stock"]).items() if b in codes}
        day = options["date"] or business_date(timezone.now())
        wanted = max(options["lines"] - seeded_lines(day=day), 0)
        progress = Progress("sale lines", wanted, self.stdout)
        made = seed_sales_create(shelves=shelves, branch_codes=codes, cashiers=cashiers, lines=wanted, day=day,
                                 moves_path=options["moves"], advance=progress.advance)
        progress.finish()
        self.stdout.write(f"  sales: {made['sales']:,} with {made['lines']:,} lines")
