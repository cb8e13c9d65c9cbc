"""Role changes of the service's database pair, copied from the watchdog's event log into the audit trail.

The watchdog cannot write into a pair it is repairing, so it logs JSON lines
(var/log/watchdog-events.jsonl); this import copies this service's role
changes into its database, each once (keyed by a hash of its line). It runs
before every audit query and from `manage.py audit_import_failovers`.
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime

from django.db import DatabaseError

from sis_common.metrics.watchdog_figures import own_service
from sis_common.watchdog_files import EventTail, configured_event_log_path

from .models import AuditEvent, AuditSource

log = logging.getLogger("sis_common.audit")

ROLE_EVENTS = frozenset({
    "failover_completed", "failover_aborted", "forced_failover", "switchover_completed", "switchover_aborted",
    "acknowledged", "rejoined", "rebuilt", "two_writable", "primary_restored",
})
_KEPT_OUT = frozenset({"at", "ts", "event", "service", "actor", "level"})
_tail = EventTail()


def event_row(record: dict) -> AuditEvent:
    actor = str(record.get("actor") or "watchdog")
    line = json.dumps(record, sort_keys=True, default=str)
    try:
        at = datetime.fromisoformat(str(record.get("at")))
    except ValueError:
        at = datetime.fromtimestamp(float(record.get("ts", 0)))
    return AuditEvent(
        at=at, source=AuditSource.WATCHDOG, service=str(record.get("service"))[:20],
        username=str(record.get("by") or actor)[:150], role=actor[:20], action=str(record["event"])[:60],
        resource="database/pair", object_id=str(record.get("primary") or record.get("node") or "")[:64],
        summary={k: v for k, v in record.items() if k not in _KEPT_OUT},
        external_key=hashlib.sha256(line.encode()).hexdigest(),
    )


def import_failovers() -> int:
    """Copy new role-change events of this service; return how many were read (duplicates are ignored)."""
    service = own_service()
    rows = [event_row(r) for r in _tail.new_records(configured_event_log_path())
            if r.get("event") in ROLE_EVENTS and r.get("service") == service]
    if not rows:
        return 0
    try:
        AuditEvent.objects.using("default").bulk_create(rows, ignore_conflicts=True)
    except DatabaseError:
        log.warning("watchdog events not imported into the audit trail now", exc_info=True)
        _tail.rewind()
        return 0
    return len(rows)
