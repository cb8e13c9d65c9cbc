"""Writing audit events: one INSERT on the primary, never failing the request it describes."""
from __future__ import annotations

import logging

from django.db import DatabaseError
from django.db.models.expressions import RawSQL

from sis_common.db import request_state
from sis_common.metrics.series import AUDIT_FAILURES

from .models import AuditEvent

log = logging.getLogger("sis_common.audit")


def audit_event_create(*, fields: dict, link_gtid: bool) -> AuditEvent | None:
    """Insert the event; with `link_gtid` it records the connection's last GTID (the change it follows).

    A failure is logged with the whole event (the log is the fallback trail) and
    counted in ewtto_audit_write_failures_total; the answer already given stands.
    """
    event = AuditEvent(**fields)
    if link_gtid:
        # evaluated by the server before this INSERT gets its own GTID
        event.gtid = RawSQL("IFNULL(@@last_gtid, '')", [])
    try:
        event.save(using="default")
    except DatabaseError:
        AUDIT_FAILURES.inc()
        log.error("audit event not stored", extra={"audit": {k: str(v) for k, v in fields.items()}}, exc_info=True)
        return None
    return event


def request_wrote() -> bool:
    """Did this request write through the router (so the connection's last GTID is its change)?"""
    return request_state.current().wrote
