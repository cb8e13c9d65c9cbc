"""Writing audit events: one INSERT on the primary, never failing the request it describes."""
from __future__ import annotations

import logging

from django.db import DatabaseError, transaction

from sis_common.db import request_state
from sis_common.db.rows import row_insert
from sis_common.metrics.series import AUDIT_FAILURES

from . import capture, watch
from .models import AuditEvent, AuditSource

log = logging.getLogger("sis_common.audit")
LAST_GTID = {"gtid": "IFNULL(@@last_gtid, '')"}


def audit_event_create(*, fields: dict, link_gtid: bool) -> AuditEvent | None:
    """Insert the event; with `link_gtid` it records the connection's last GTID (the change it follows).

    A failure is logged with the whole event (the log is the fallback trail) and
    counted in ewtto_audit_write_failures_total; the answer already given stands.
    """
    event = AuditEvent(**fields)
    try:
        # the GTID is evaluated by the server before this INSERT gets its own
        row_insert(event, raw=LAST_GTID if link_gtid else None, request_write=False)
    except DatabaseError:
        AUDIT_FAILURES.inc()
        log.error("audit event not stored", extra={"audit": {k: str(v) for k, v in fields.items()}}, exc_info=True)
        return None
    return event


def audit_event_join_change(*, status: int, data) -> AuditEvent | None:
    """Record the API write being answered now, inside the caller's transaction, as the answer `status`/`data`.

    For a service whose change ends in a transaction of its own (a sale's completion): the event then
    commits with the change or not at all, and AuditMiddleware writes no second one. Its own savepoint
    keeps a failed insert from undoing the change. Outside a write request AuditMiddleware watches (the
    reconciler, /internal/ calls) nothing is recorded here.
    """
    current = watch.current()
    if current is None or current.recorded:
        return None
    fields = capture.event_fields(current.request, status=status, data=data, body=current.body,
                                  source=AuditSource.API)
    event = AuditEvent(**fields)
    try:
        # a savepoint: a failed insert must not break the change's transaction; the connection's last
        # GTID is the request's earlier write, the change's own transaction has not committed yet
        with transaction.atomic(using="default"):
            row_insert(event, raw=LAST_GTID, request_write=False)
    except DatabaseError:
        AUDIT_FAILURES.inc()
        log.error("audit event not stored", extra={"audit": {k: str(v) for k, v in fields.items()}}, exc_info=True)
        return None
    # recorded once the change commits: if it rolls back, its answer is no success the middleware records
    transaction.on_commit(lambda: setattr(current, "recorded", True), using="default")
    return event


def request_wrote() -> bool:
    """Did this request write through the router (so the connection's last GTID is its change)?"""
    return request_state.current().wrote
