"""The stored first answer for each (scope, key)."""
from django.db import models


class IdempotencyRecord(models.Model):
    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} -> {self.status_code}"
