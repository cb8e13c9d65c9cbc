"""`manage.py ewtto_bootstrap`: idempotent first-start data; demo branches when EWTTO_DEMO=1."""
import os

from django.conf import settings
from django.core.management.base import BaseCommand

from branches.demo import demo_branches_ensure


def demo_wanted() -> bool:
    """Demo data only when asked for, and never under production settings."""
    module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
    production = module.endswith(".production")
    return os.environ.get("EWTTO_DEMO") == "1" and not production


class Command(BaseCommand):
    help = "Create first-start data of servicio_sucursales (demo branches when EWTTO_DEMO=1)."

    def handle(self, *args, **options):
        if not demo_wanted():
            return
        for line in demo_branches_ensure():
            self.stdout.write(line)
