"""GET /<API_PREFIX>audit/ and /<API_PREFIX>audit/<id>/: the service's audit trail, newest first."""
from rest_framework import mixins, viewsets
from rest_framework.pagination import CursorPagination

from . import selectors
from .failovers import import_failovers
from .permissions import AuditReader
from .serializers import AuditEventSerializer, AuditFilterSerializer


class AuditPagination(CursorPagination):
    """Cursor pages: no COUNT over a table that only grows."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [AuditReader]
    serializer_class = AuditEventSerializer
    pagination_class = AuditPagination

    def get_queryset(self):
        if self.action != "list":
            return selectors.audit_event_list(filters={})
        filters = AuditFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.audit_event_list(filters=filters.validated_data)

    def list(self, request, *args, **kwargs):
        import_failovers()  # role changes logged by the watchdog since the last look
        return super().list(request, *args, **kwargs)
