"""Synthetic branches for load tests (bin/seed-data): existing active branches count, the missing ones are made.

Seeded branches get codes SEED001, SEED002, ...; the demo branches count towards the total too.
"""
from __future__ import annotations

from branches.models import Branch
from branches.services import branch_create

CITIES = ("Lima", "Arequipa", "Trujillo", "Cusco", "Piura", "Chiclayo", "Iquitos", "Huancayo")


def seed_branches_ensure(*, count: int) -> list[Branch]:
    """At least `count` active branches, creating seeded ones as needed; the first `count` by id."""
    active = list(Branch.objects.using("default").filter(is_active=True).order_by("id")[:count])
    number = Branch.objects.using("default").filter(code__startswith="SEED").count()
    while len(active) < count:
        number += 1
        city = CITIES[number % len(CITIES)]
        active.append(branch_create(code=f"SEED{number:03d}", name=f"Sucursal {city} {number}",
                                    city=city, address=f"Av. Principal {100 + number}"))
    return active
