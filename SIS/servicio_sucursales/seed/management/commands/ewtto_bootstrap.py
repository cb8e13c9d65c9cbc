"""`manage.py ewtto_bootstrap`: no first-start data; demo branches and company on EWTTO_DEMO=1."""
from seed.demo import demo_branches_ensure, demo_company_ensure
from sis_common.seeding import BootstrapCommand


class Command(BootstrapCommand):
    help = "Create first-start data of servicio_sucursales (demo branches when EWTTO_DEMO=1)."

    def demo(self) -> list[str]:
        return demo_branches_ensure() + demo_company_ensure()
