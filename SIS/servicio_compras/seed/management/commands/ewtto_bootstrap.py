"""`manage.py ewtto_bootstrap`: servicio_compras has no first-start data and no demo data yet."""
from sis_common.seeding import BootstrapCommand


class Command(BootstrapCommand):
    help = "Create first-start data of servicio_compras (none yet)."
