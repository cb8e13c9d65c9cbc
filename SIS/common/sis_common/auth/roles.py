"""The roles of E-WTTO and what each implies: branch scope, staff (Django admin) access."""
ADMIN, MANAGER, CASHIER, WAREHOUSE, AUDITOR = "admin", "manager", "cashier", "warehouse", "auditor"
# orders from suppliers for the branches listed for them (servicio_compras)
PURCHASER = "purchaser"
ROLES = (ADMIN, MANAGER, CASHIER, WAREHOUSE, AUDITOR, PURCHASER)

# these act on every branch; the others only on the branch IDs listed for them
ALL_BRANCHES_ROLES = frozenset({ADMIN, AUDITOR})

# who may sign in to the Django admins: the admin fully, the auditor to look only.
# Managers are left out because the Django admin cannot hold them to their branches.
STAFF_ROLES = frozenset({ADMIN, AUDITOR})
READ_ONLY_ROLES = frozenset({AUDITOR})
