"""Cash session model: one open session per cashier, closed with what was counted."""
from django.db import models

MONEY = {"max_digits": 12, "decimal_places": 2}


class CashSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        CLOSED = "closed"

    branch_id = models.PositiveBigIntegerField()
    user_id = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # True while open, NULL once closed: the unique (user_id, open_marker) allows one open session
    # per cashier and any number of closed ones (NULLs never collide in a unique index)
    open_marker = models.BooleanField(null=True, default=True)
    opening_float = models.DecimalField(**MONEY)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.PositiveBigIntegerField(null=True, blank=True)
    expected_cash = models.DecimalField(**MONEY, null=True, blank=True)
    expected_card = models.DecimalField(**MONEY, null=True, blank=True)
    expected_transfer = models.DecimalField(**MONEY, null=True, blank=True)
    counted_cash = models.DecimalField(**MONEY, null=True, blank=True)
    counted_card = models.DecimalField(**MONEY, null=True, blank=True)
    counted_transfer = models.DecimalField(**MONEY, null=True, blank=True)
    note = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user_id", "open_marker"], name="cash_one_open_session_per_user"),
        ]
        indexes = [models.Index(fields=["branch_id", "status"], name="cash_session_branch_status")]

    def __str__(self) -> str:
        return f"session {self.pk} user {self.user_id} branch {self.branch_id} {self.status}"
