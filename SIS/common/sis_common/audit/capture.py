"""What an audit event says about a request: who, what, which object, and a summary of the answer."""
from __future__ import annotations

import json
import re

from django.conf import settings
from rest_framework.exceptions import ParseError

from sis_common.jsonbody import loads_bounded

from .models import AuditSource

REDACTED = "[redacted]"
# `pin` as a whole word of the key only: a POS PIN (`approval.pin`), not `shipping`
SECRET_KEYS = re.compile(r"pass|secret|token|refresh|access|key|csrf|(?:^|_)pin(?:$|_)", re.IGNORECASE)
ID_SEGMENT = re.compile(r"^(\d+|[0-9a-f]{32}|[0-9a-f-]{36})$", re.IGNORECASE)
MAX_CHANGES_BYTES = 4096
MAX_SUMMARY_KEYS = 24
MAX_TEXT = 200
API_ACTIONS = {"POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}


def who(user) -> dict:
    """user_id, username and role of a token principal or of an admin's shadow user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user_id": None, "username": "", "role": ""}
    role = getattr(user, "role", None)
    if role is None:  # a Django user of the admin site (servicio_auth's shadow)
        role = "admin" if getattr(user, "is_superuser", False) else "staff"
    user_id = getattr(user, "id", None)
    try:
        user_id = int(user_id) if user_id is not None else None
    except (TypeError, ValueError):
        user_id = None
    return {"user_id": user_id, "username": str(getattr(user, "username", "") or "")[:150], "role": str(role)[:20]}


def resource(path: str) -> str:
    """The path without its leading /api/ and with ids as {id}: "inventory/products/{id}"."""
    parts = [p for p in path.strip("/").split("/") if p]
    if parts and parts[0] == "api":
        parts = parts[1:]
    return "/".join("{id}" if ID_SEGMENT.match(p) else p for p in parts)[:120]


def admin_action(request) -> str:
    """What an admin POST did, from its URL (add, change, delete, login...) or the changelist action chosen."""
    tail = [p for p in request.path_info.strip("/").split("/") if p][-1:] or [""]
    if tail[0] in ("add", "change", "delete", "login", "logout", "password", "history"):
        return tail[0]
    chosen = request.POST.get("action") if request.content_type.startswith(("multipart/", "application/x-www")) else ""
    return f"action:{chosen}"[:60] if chosen else "change"


def object_id(response_data, kwargs: dict) -> str:
    if isinstance(response_data, dict) and response_data.get("id") not in (None, ""):
        return str(response_data["id"])[:64]
    ids = {k: v for k, v in kwargs.items() if k in ("pk", "id", "object_id") or k.endswith(("_id", "_pk"))}
    ids = ids or kwargs
    if len(ids) == 1:
        return str(next(iter(ids.values())))[:64]
    return ",".join(f"{k}={v}" for k, v in sorted(ids.items()))[:64]


def summary(response_data) -> dict:
    """The answer's plain top-level fields (id, code, name, price, status, total...), nested lists left out."""
    if not isinstance(response_data, dict):
        return {}
    kept = {}
    for key, value in response_data.items():
        if len(kept) >= MAX_SUMMARY_KEYS:
            break
        if SECRET_KEYS.search(str(key)):
            continue
        if isinstance(value, (bool, int, float)) or value is None:
            kept[key] = value
        elif isinstance(value, str):
            kept[key] = value[:MAX_TEXT]
        elif isinstance(value, list) and all(isinstance(v, (int, str)) for v in value[:50]):
            kept[key] = value[:50]  # e.g. a user's branches
    return kept


def redact(data):
    if isinstance(data, dict):
        return {k: (REDACTED if SECRET_KEYS.search(str(k)) else redact(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [redact(v) for v in data]
    return data


def changes(request, body: bytes) -> dict:
    """The request's fields with secrets redacted, at most 4 KiB of them."""
    content_type = request.content_type or ""
    data: object = {}
    if content_type.startswith("application/json") and body:
        try:
            data = loads_bounded(body)
        except ParseError:  # refused by the API's parser too; the trail keeps that it was not JSON
            data = {"_unparsed": True}
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        data = {k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists()}
    if not isinstance(data, dict):
        data = {"_body": data}
    cleaned = redact(data)
    text = json.dumps(cleaned, default=str)
    if len(text) > MAX_CHANGES_BYTES:
        return {"_truncated": True, "_keys": sorted(map(str, cleaned))[:50]}
    return cleaned


def with_admin_entries(fields: dict, user, *, since) -> dict:
    """Add what the admin logged itself (LogEntry: object, its name, the change message) for this request."""
    if user is None or not getattr(user, "pk", None):
        return fields
    from django.contrib.admin.models import LogEntry

    entries = [
        {"object_id": e.object_id, "object": e.object_repr, "model": e.content_type.model if e.content_type else "",
         "flag": e.get_action_flag_display(), "message": e.get_change_message()[:MAX_TEXT]}
        for e in LogEntry.objects.using("default").select_related("content_type")
        .filter(user_id=user.pk, action_time__gte=since).order_by("id")[:20]
    ]
    if not entries:
        return fields
    object_id = fields["object_id"] or (entries[0]["object_id"] if len(entries) == 1 else "")
    return {**fields, "object_id": str(object_id)[:64], "summary": {**fields["summary"], "entries": entries}}


def service_name() -> str:
    return getattr(settings, "EWTTO_SERVICE", "")


def event_fields(request, *, status: int, data, body: bytes, source: str) -> dict:
    """What the event of a write says: who, what, the answer's status, its object and summary, the request's fields."""
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    admin = source == AuditSource.ADMIN
    return {
        **who(getattr(request, "user", None)),
        "source": source, "service": service_name(),
        "action": admin_action(request) if admin else API_ACTIONS[request.method],
        "method": request.method, "path": request.path[:255], "resource": resource(request.path_info),
        "status": status,
        "object_id": object_id(data, kwargs),
        "summary": summary(data), "changes": changes(request, body),
        "request_id": getattr(request, "request_id", "")[:128],
    }
