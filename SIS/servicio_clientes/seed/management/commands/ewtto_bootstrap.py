"""`manage.py ewtto_bootstrap`: no first-start data; demo customers on EWTTO_DEMO=1."""
from seed.demo import demo_customers_ensure
from sis_common.seeding import BootstrapCommand


class Command(BootstrapCommand):
    help = "Create first-start data of servicio_clientes (demo customers when EWTTO_DEMO=1)."

    def demo(self) -> list[str]:
        return demo_customers_ensure()
