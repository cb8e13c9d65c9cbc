"""`manage.py ewtto_bootstrap`: no first-start data; demo catalogue and stock on EWTTO_DEMO=1."""
from seed.demo import demo_catalogue_ensure
from sis_common.seeding import BootstrapCommand


class Command(BootstrapCommand):
    help = "Create first-start data of servicio_inventario (demo catalogue and stock when EWTTO_DEMO=1)."

    def demo(self) -> list[str]:
        return demo_catalogue_ensure()
