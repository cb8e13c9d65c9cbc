"""`manage.py seed_branches --count N --out FILE`: at least N active branches for load-test data (bin/seed-data).

Seeded branches get codes SEED001, SEED002, ...; existing active branches
(the demo ones too) count towards N. Writes [{id, code}] of the N branches.
"""
from django.core.management.base import BaseCommand

from branches.models import Branch
from branches.services import branch_create
from sis_common.seeding import refuse_production, write_json

CITIES = ("Lima", "Arequipa", "Trujillo", "Cusco", "Piura", "Chiclayo", "Iquitos", "Huancayo")


class Command(BaseCommand):
    help = "Ensure at least N active branches (bin/seed-data)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--out", required=True)

    def handle(self, *args, count: int, out: str, **options):
        refuse_production()
        active = list(Branch.objects.using("default").filter(is_active=True).order_by("id")[:count])
        number = Branch.objects.using("default").filter(code__startswith="SEED").count()
        while len(active) < count:
            number += 1
            city = CITIES[number % len(CITIES)]
            active.append(branch_create(code=f"SEED{number:03d}", name=f"Sucursal {city} {number}",
                                        city=city, address=f"Av. Principal {100 + number}"))
        write_json(out, [{"id": b.pk, "code": b.code} for b in active])
        self.stdout.write(f"  branches: {len(active)} ({', '.join(b.code for b in active)})")
