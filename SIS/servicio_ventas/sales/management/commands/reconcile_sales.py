"""Keep retrying pending sales and returns until inventory settles them (run under supervisor)."""
from sales.reconciler import reconcile_pass
from sis_common.reconciling import ReconcilerCommand


class Command(ReconcilerCommand):
    help = "Retry pending sales and returns with their own Idempotency-Keys until they are settled."
    what = "sales (and returns)"

    def reconcile_pass(self, *, batch: int):
        return reconcile_pass(batch=batch)
