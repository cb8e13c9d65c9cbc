"""`manage.py ewtto_bootstrap`: idempotent first-start data; demo catalogue and stock when EWTTO_DEMO=1."""
from django.core.management.base import BaseCommand

from seed.demo import demo_catalogue_ensure
from sis_common.seeding import demo_wanted


class Command(BaseCommand):
    help = "Create first-start data of servicio_inventario (demo catalogue and stock when EWTTO_DEMO=1)."

    def handle(self, *args, **options):
        if not demo_wanted():
            return
        for line in demo_catalogue_ensure():
            self.stdout.write(line)
