"""Keep retrying pending receipts until inventory settles them (run under supervisor)."""
import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from orders.reconciler import reconcile_pass

log = logging.getLogger("orders.reconciler")


class Command(BaseCommand):
    help = "Retry pending receipts with their own stock-move keys until they are settled."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one pass and exit")
        parser.add_argument("--batch", type=int, default=50, help="receipts per pass")
        parser.add_argument("--sleep", type=float, default=1.0, help="seconds between passes")

    def handle(self, *args, once=False, batch=50, sleep=1.0, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while not stopping:
            try:
                result = reconcile_pass(batch=batch)
                if once:
                    self.stdout.write(f"settled={result.settled} pending={result.still_pending} busy={result.busy}")
            except DatabaseError as exc:
                # the pair may be failing over: the next pass reconnects to whichever node is primary
                log.warning("reconciler pass failed: %s", exc)
            if once:
                return
            time.sleep(sleep)
