"""One audit event: a write answered successfully (API or admin), or a role change of the database pair."""
from django.db import models
from django.utils import timezone


class AuditSource(models.TextChoices):
    API = "api"
    ADMIN = "admin"
    WATCHDOG = "watchdog"


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=AuditSource.choices)
    service = models.CharField(max_length=20)
    # who: the token's user (servicio_auth's id) or the admin's shadow user; the watchdog or an operator
    user_id = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True, default="")
    role = models.CharField(max_length=20, blank=True, default="")
    # what: create/update/delete (API), add/change/delete/login... (admin), the event name (watchdog)
    action = models.CharField(max_length=60)
    method = models.CharField(max_length=8, blank=True, default="")
    path = models.CharField(max_length=255, blank=True, default="")
    # the path with ids as {id} under the API's name, e.g. "inventory/products/{id}"
    resource = models.CharField(max_length=120, blank=True, default="")
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True, default="")
    summary = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=128, blank=True, default="")
    # the last transaction the request's connection committed before this row: the change, in the binlog
    gtid = models.CharField(max_length=64, blank=True, default="")
    # de-duplicates events imported from the watchdog's log
    external_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["user_id", "at"], name="audit_user_at"),
            models.Index(fields=["resource", "at"], name="audit_resource_at"),
            models.Index(fields=["request_id"], name="audit_request"),
            models.Index(fields=["object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or self.user_id} {self.action} {self.resource or self.path}"
