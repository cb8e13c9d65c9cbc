"""One pass of the reconciler: retry, with their own keys, the sales and returns left pending and the loyalty calls owed."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.signals import request_started

from . import loyalty, saga, selectors
from .models import SagaStatus, Sale, SaleReturn

log = logging.getLogger(__name__)


@dataclass
class PassResult:
    settled: dict[str, int] = field(default_factory=lambda: {"completed": 0, "rejected": 0})
    still_pending: int = 0
    busy: int = 0
    loyalty_sent: int = 0  # calls owed to clientes that it took in this pass (sales.loyalty)

    @property
    def worked(self) -> int:
        return sum(self.settled.values()) + self.still_pending


def reconcile_pass(*, batch: int = 50) -> PassResult:
    """Drive at most `batch` due sales and `batch` due returns once each (bounded work per pass)."""
    # a pass is treated like a request: connections are health-checked and each pair connection
    # re-verifies its node's role, so the loop follows a failover without a restart
    request_started.send(sender=__name__)
    result = PassResult()
    for sale_id in selectors.pending_due(model=Sale, limit=batch):
        _tally(result, lambda: saga.sale_drive(sale_id=sale_id))
    for return_id in selectors.pending_due(model=SaleReturn, limit=batch):
        _tally(result, lambda: saga.return_drive(return_id=return_id))
    for call_id in loyalty.calls_due(limit=batch):
        if loyalty.call_deliver(call_id=call_id):
            result.loyalty_sent += 1
    return result


def _tally(result: PassResult, drive) -> None:
    try:
        settled = drive()
    except saga.SagaBusy:
        result.busy += 1  # its own request or a client retry is driving it right now
        return
    if settled.status == SagaStatus.PENDING:
        result.still_pending += 1
    else:
        result.settled[settled.status] += 1
        log.info("reconciler settled %s %s as %s", type(settled).__name__.lower(), settled.pk, settled.status)
