"""One pass of the reconciler: retry, with their own keys, the receipts left pending."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.signals import request_started

from . import saga, selectors
from .models import ReceiptStatus

log = logging.getLogger(__name__)


@dataclass
class PassResult:
    settled: dict[str, int] = field(default_factory=lambda: {"completed": 0, "rejected": 0})
    still_pending: int = 0
    busy: int = 0


def reconcile_pass(*, batch: int = 50) -> PassResult:
    """Drive at most `batch` due receipts once each (bounded work per pass)."""
    # a pass is treated like a request: connections are health-checked and each pair connection
    # re-verifies its node's role, so the loop follows a failover without a restart
    request_started.send(sender=__name__)
    result = PassResult()
    for receipt_id in selectors.pending_due(limit=batch):
        try:
            settled = saga.receipt_drive(receipt_id=receipt_id)
        except saga.ReceiptBusy:
            result.busy += 1  # its own request or a client retry is driving it right now
            continue
        if settled.status == ReceiptStatus.PENDING:
            result.still_pending += 1
        else:
            result.settled[settled.status] += 1
            log.info("reconciler settled receipt %s as %s", settled.pk, settled.status)
    return result
