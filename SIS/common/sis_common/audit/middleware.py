"""Recording every successful write request, and mounting the audit API under the project's API prefix.

Recorded: POST/PUT/PATCH/DELETE answered 2xx through the API (an idempotent
replay is not a new write), and admin-site POSTs answered with a redirect (the
admin's "saved"). Left out by default: /internal/ calls (the calling service
records the request, with the same request ID, and inventory's ledger records
each movement) and token/refresh requests (sign-ins change no data);
EWTTO_AUDIT_SKIP lists path prefixes to leave out instead.

The row is written right after the view returns, in its own short
transaction, not in the change's: the sales saga commits several times and
calls inventory in between, and wrapping requests in one transaction would
break it. A crash between the change's commit and this insert loses the row
(the JSON log keeps failed inserts); the row carries the change's GTID.
A service whose change ends in one last transaction may write the row in it
instead (`services.audit_event_join_change`, a sale's completion): the row
then commits with the change, and the middleware writes none after the answer.
"""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from sis_common.idempotency.contract import REPLAY_HEADER

from . import capture, watch
from .models import AuditSource
from .services import audit_event_create, request_wrote

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_SKIP = ("/internal/", "/api/auth/token/")


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        prefix = getattr(settings, "API_PREFIX", "")
        self.audit_path = f"/{prefix}audit/" if prefix else None
        self.skip = tuple(getattr(settings, "EWTTO_AUDIT_SKIP", DEFAULT_SKIP))

    def __call__(self, request):
        path = request.path_info
        if self.audit_path and path.startswith(self.audit_path):
            request.urlconf = "sis_common.audit.urlconf"
        if request.method not in WRITE_METHODS or path.startswith(self.skip):
            return self.get_response(request)
        # read now: after DRF has parsed the stream it cannot be read again; a multipart upload (a file
        # import, up to tens of MB) is not held in memory for this: its form fields are read from request.POST
        multipart = (request.content_type or "").startswith("multipart/form-data")
        body = b"" if multipart else request.body
        started = timezone.now()
        token = watch.begin(request, body)
        try:
            response = self.get_response(request)
        finally:
            recorded = watch.end(token).recorded
        source = self._source(request, response)
        if source is not None and not recorded:
            fields = self._fields(request, response, body, source)
            if source == AuditSource.ADMIN:
                fields = capture.with_admin_entries(fields, getattr(request, "user", None), since=started)
            audit_event_create(fields=fields, link_gtid=request_wrote())
        return response

    @staticmethod
    def _source(request, response) -> str | None:
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.app_names:
            return AuditSource.ADMIN if 300 <= response.status_code < 400 else None
        if 200 <= response.status_code < 300 and not response.has_header(REPLAY_HEADER):
            return AuditSource.API
        return None

    @staticmethod
    def _fields(request, response, body: bytes, source: str) -> dict:
        return capture.event_fields(request, status=response.status_code, data=getattr(response, "data", None),
                                    body=body, source=source)
