"""Reading the audit trail with filters."""
from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent

EXACT = ("user_id", "username", "role", "action", "method", "source", "status", "object_id", "request_id", "gtid")


def audit_event_list(*, filters: dict) -> QuerySet[AuditEvent]:
    """Events newest first; `resource` matches by prefix, `since`/`until` bound the time."""
    events = AuditEvent.objects.all()
    for name in EXACT:
        if filters.get(name) not in (None, ""):
            events = events.filter(**{name: filters[name]})
    if filters.get("resource"):
        events = events.filter(resource__startswith=filters["resource"])
    if filters.get("since"):
        events = events.filter(at__gte=filters["since"])
    if filters.get("until"):
        events = events.filter(at__lt=filters["until"])
    return events.order_by("-id")
