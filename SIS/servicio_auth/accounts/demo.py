"""Demo users, one per role, scoped to the demo branches of servicio_sucursales (SUC01 = 1, SUC02 = 2)."""
from sis_common.auth.roles import AUDITOR, CASHIER, MANAGER, WAREHOUSE

DEMO_USERS = (
    ("manager", MANAGER, [1, 2]),
    ("cashier", CASHIER, [1]),
    ("warehouse", WAREHOUSE, [1]),
    ("auditor", AUDITOR, []),
)
