"""manage.py audit_import_failovers: copy this service's pair role changes from the watchdog's log now."""
from django.core.management.base import BaseCommand

from sis_common.audit.failovers import import_failovers


class Command(BaseCommand):
    help = "Copy role changes of this service's database pair from the watchdog's event log into the audit trail."

    def handle(self, *args, **options):
        self.stdout.write(f"{import_failovers()} event(s) read")
