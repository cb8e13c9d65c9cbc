"""The reconciler daemon's loop: a pass of the service's reconciler after another until SIGTERM."""
import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError

log = logging.getLogger(__name__)


class ReconcilerCommand(BaseCommand):
    """A management command run under supervisor; a subclass names what a pass settles and runs one."""

    what = "writes"

    def reconcile_pass(self, *, batch: int):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one pass and exit")
        parser.add_argument("--batch", type=int, default=50, help=f"{self.what} per pass")
        parser.add_argument("--sleep", type=float, default=1.0, help="seconds between passes")

    def handle(self, *args, once=False, batch=50, sleep=1.0, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while not stopping:
            try:
                result = self.reconcile_pass(batch=batch)
                if once:
                    self.stdout.write(f"settled={result.settled} pending={result.still_pending} busy={result.busy}")
            except DatabaseError as exc:
                # the pair may be failing over: the next pass reconnects to whichever node is primary
                log.warning("%s reconciler pass failed: %s", self.what, exc)
            if once:
                return
            time.sleep(sleep)
