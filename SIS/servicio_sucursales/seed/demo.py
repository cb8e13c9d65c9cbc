"""Demo branches for a local stack: SUC01 and SUC02 with the ids the other services' demo data use,
and the demo company's name and tax ID, so a demo receipt prints what a real one would."""
from __future__ import annotations

from branches.models import Branch
from branches.services import branch_create
from company.models import SINGLETON_ID, Company
from company.services import company_update

DEMO_COMPANY = {"name": "Bodega E-WTTO", "legal_name": "E-WTTO Comercial S.A.C.", "tax_id": "20601234567"}
DEMO_FOOTER = "Gracias por su compra. Cambios y devoluciones con este comprobante."

DEMO_BRANCHES = (
    {"branch_id": 1, "code": "SUC01", "name": "Sucursal Centro", "address": "Av. Abancay 120",
     "city": "Lima", "phone": "+51 1 555 0101", "receipt_footer": DEMO_FOOTER},
    {"branch_id": 2, "code": "SUC02", "name": "Sucursal Norte", "address": "Av. Túpac Amaru 2450",
     "city": "Lima", "phone": "+51 1 555 0202", "receipt_footer": DEMO_FOOTER},
)


def demo_branches_ensure() -> list[str]:
    """Create the missing demo branches; one line per branch created or impossible to create."""
    lines = []
    for spec in DEMO_BRANCHES:
        if Branch.objects.using("default").filter(code=spec["code"]).exists():
            continue
        taken = Branch.objects.using("default").filter(pk=spec["branch_id"]).first()
        if taken is not None:
            lines.append(f"sucursales: demo branch {spec['code']} not created: id {spec['branch_id']} is {taken.code}")
            continue
        branch = branch_create(**spec)
        lines.append(f"sucursales: demo branch {branch.code} (id {branch.pk}) created")
    return lines


def demo_company_ensure() -> list[str]:
    """The demo company's name and tax ID, unless the settings were already saved (by an admin or a run before)."""
    if Company.objects.using("default").filter(pk=SINGLETON_ID).exists():
        return []
    company_update(**DEMO_COMPANY)
    return [f"sucursales: demo company {DEMO_COMPANY['name']} (RUC {DEMO_COMPANY['tax_id']})"]
