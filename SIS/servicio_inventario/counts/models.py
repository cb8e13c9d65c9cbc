"""Stock counts: a snapshot of what a branch should hold, what was counted, and the differences posted to the ledger."""
from django.db import models
from django.utils import timezone

from catalog.models import Category, Product
from stock.models import StockDocument


class StockCount(models.Model):
    """open → posted (each difference a ledger row of kind `count`, reference `CT-<id>`) or cancelled."""

    class Status(models.TextChoices):
        OPEN = "open"
        POSTED = "posted"
        CANCELLED = "cancelled"

    branch_id = models.PositiveBigIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    category = models.ForeignKey(Category, null=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    posted_at = models.DateTimeField(null=True)
    cancelled_at = models.DateTimeField(null=True)
    document = models.OneToOneField(StockDocument, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["branch_id"], name="count_branch"),
            models.Index(fields=["status"], name="count_status"),
        ]

    @property
    def reference(self) -> str:
        return f"CT-{self.pk}"


class StockCountLine(models.Model):
    """One product of a count: the snapshot, the last count entered and what the ledger held at that moment."""

    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    expected = models.BigIntegerField()  # the stock when the count was opened
    counted = models.BigIntegerField(null=True)
    # the stock when `counted` was entered: the snapshot plus every movement since, up to the counting
    on_hand_at_count = models.BigIntegerField(null=True)
    counted_at = models.DateTimeField(null=True)
    # the count's branch while it is open, else NULL: one open count per (branch, product), by the unique index
    open_branch = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["product_id"]
        constraints = [
            models.UniqueConstraint(fields=["count", "product"], name="count_line_product"),
            models.UniqueConstraint(fields=["open_branch", "product"], name="count_line_open_once"),
            models.CheckConstraint(condition=models.Q(counted__gte=0), name="count_line_counted_not_negative"),
        ]

    @property
    def moved(self) -> int | None:
        """The ledger's change between the snapshot and the counting (sales, receipts… during the count)."""
        return None if self.on_hand_at_count is None else self.on_hand_at_count - self.expected

    @property
    def difference(self) -> int | None:
        """What posting changes: the count against what the ledger held when it was counted."""
        return None if self.counted is None else self.counted - self.on_hand_at_count
