"""Keep retrying pending receipts until inventory settles them (run under supervisor)."""
from orders.reconciler import reconcile_pass
from sis_common.reconciling import ReconcilerCommand


class Command(ReconcilerCommand):
    help = "Retry pending receipts with their own stock-move keys until they are settled."
    what = "receipts"

    def reconcile_pass(self, *, batch: int):
        return reconcile_pass(batch=batch)
