"""Audit events out, and the filters of the audit list in."""
from rest_framework import serializers

from sis_common.query import QuerySerializer

from .models import AuditEvent, AuditSource


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "source", "service", "user_id", "username", "role", "action", "method", "path",
                  "resource", "status", "object_id", "summary", "changes", "request_id", "gtid"]
        read_only_fields = fields


class AuditFilterSerializer(QuerySerializer):
    user_id = serializers.IntegerField(required=False, min_value=0)
    username = serializers.CharField(required=False, max_length=150)
    role = serializers.CharField(required=False, max_length=20)
    action = serializers.CharField(required=False, max_length=60)
    method = serializers.ChoiceField(required=False, choices=["POST", "PUT", "PATCH", "DELETE"])
    source = serializers.ChoiceField(required=False, choices=AuditSource.choices)
    status = serializers.IntegerField(required=False, min_value=100, max_value=599)
    resource = serializers.CharField(required=False, max_length=120)
    object_id = serializers.CharField(required=False, max_length=64)
    request_id = serializers.CharField(required=False, max_length=128)
    gtid = serializers.CharField(required=False, max_length=64)
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
