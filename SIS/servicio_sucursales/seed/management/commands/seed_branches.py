"""`manage.py seed_branches --count N --out FILE`: at least N active branches for load-test data (bin/seed-data).

Writes [{id, code}] of the N branches (seed.branches does the work).
"""
from django.core.management.base import BaseCommand

from seed.branches import seed_branches_ensure
from sis_common.seeding import refuse_production, write_json


class Command(BaseCommand):
    help = "Ensure at least N active branches (bin/seed-data)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--out", required=True)

    def handle(self, *args, count: int, out: str, **options):
        refuse_production()
        active = seed_branches_ensure(count=count)
        write_json(out, [{"id": b.pk, "code": b.code} for b in active])
        self.stdout.write(f"  branches: {len(active)} ({', '.join(b.code for b in active)})")
