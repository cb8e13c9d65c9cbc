"""Cash session models: one open session per cashier, cash put in or paid out, closed with what was counted."""
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
    expected_points = models.DecimalField(**MONEY, null=True, blank=True)
    counted_cash = models.DecimalField(**MONEY, null=True, blank=True)
    counted_card = models.DecimalField(**MONEY, null=True, blank=True)
    counted_transfer = models.DecimalField(**MONEY, null=True, blank=True)
    counted_points = models.DecimalField(**MONEY, null=True, blank=True)
    # the cash count by denomination given at close, [{"value": "10.00", "count": 3}], or null
    denominations = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user_id", "open_marker"], name="cash_one_open_session_per_user"),
        ]
        indexes = [models.Index(fields=["branch_id", "status"], name="cash_session_branch_status")]

    def __str__(self) -> str:
        return f"session {self.pk} user {self.user_id} branch {self.branch_id} {self.status}"


class CashMovement(models.Model):
    """Cash put into the drawer (`in`: change fund, float top-up) or paid out of it (`out`: a delivery, a deposit)."""

    class Kind(models.TextChoices):
        IN = "in"
        OUT = "out"

    session = models.ForeignKey(CashSession, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    amount = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=255, blank=True, default="")
    user_id = models.PositiveBigIntegerField()
    # the manager whose PIN allowed a cashier's out above the company's cash_out_limit
    approved_by = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} session {self.session_id}"
