"""Stock per (branch, product), the append-only ledger, transfers and document moves.

Branches live in servicio_sucursales: here they are plain ids, checked over REST.
"""
from django.db import models
from django.utils import timezone

from catalog.models import Product


class Stock(models.Model):
    branch_id = models.PositiveBigIntegerField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="stock")
    quantity = models.BigIntegerField(default=0)
    min_quantity = models.BigIntegerField(default=0)
    # kept by the database itself, so `?low=true` is an indexed filter, not a scan
    is_low = models.GeneratedField(
        expression=models.Case(models.When(quantity__lte=models.F("min_quantity"), then=models.Value(True)),
                               default=models.Value(False)),
        output_field=models.BooleanField(), db_persist=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["branch_id", "product"], name="stock_branch_product"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="stock_quantity_not_negative"),
            models.CheckConstraint(condition=models.Q(min_quantity__gte=0), name="stock_min_not_negative"),
        ]
        # each index ends in the primary key (InnoDB), so filtered keyset pages by id use it
        indexes = [
            models.Index(fields=["branch_id"], name="stock_branch"),
            models.Index(fields=["branch_id", "is_low"], name="stock_branch_low"),
            models.Index(fields=["is_low"], name="stock_low"),
        ]

    def __str__(self) -> str:
        return f"branch {self.branch_id} product {self.product_id}: {self.quantity}"


class Transfer(models.Model):
    """A document moving stock between branches: draft → dispatched → received, or cancelled from draft."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        DISPATCHED = "dispatched"
        RECEIVED = "received"
        CANCELLED = "cancelled"

    from_branch = models.PositiveBigIntegerField()
    to_branch = models.PositiveBigIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(max_length=255, blank=True, default="")
    created_by = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True)
    received_at = models.DateTimeField(null=True)
    cancelled_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["from_branch"], name="transfer_from"),
            models.Index(fields=["to_branch"], name="transfer_to"),
            models.Index(fields=["status"], name="transfer_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(from_branch=models.F("to_branch")),
                                   name="transfer_between_two_branches"),
        ]

    @property
    def reference(self) -> str:
        return f"TR-{self.pk}"


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "product"], name="transfer_line_product"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="transfer_line_positive"),
        ]


class StockDocument(models.Model):
    """One stock move of another service's document (a sale or a return), all lines or none."""

    class Kind(models.TextChoices):
        SALE = "sale"
        RETURN = "return"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    branch_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=64)
    user_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["reference"], name="document_reference")]


class MovementQuerySet(models.QuerySet):
    """The ledger is append-only: no bulk update or delete through the ORM."""

    def update(self, **kwargs):
        raise TypeError("Ledger rows are never changed.")

    def delete(self):
        raise TypeError("Ledger rows are never deleted.")


class Movement(models.Model):
    """One ledger row: a signed change of one (branch, product) and the balance it left."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt"
        ADJUSTMENT = "adjustment"
        SALE = "sale"
        RETURN = "return"
        TRANSFER_OUT = "transfer_out"
        TRANSFER_IN = "transfer_in"

    branch_id = models.PositiveBigIntegerField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    quantity = models.BigIntegerField()
    balance_after = models.BigIntegerField()
    reference = models.CharField(max_length=64, blank=True, default="")
    note = models.CharField(max_length=255, blank=True, default="")
    user_id = models.PositiveBigIntegerField(null=True)
    transfer = models.ForeignKey(Transfer, null=True, on_delete=models.PROTECT, related_name="movements")
    document = models.ForeignKey(StockDocument, null=True, on_delete=models.PROTECT, related_name="movements")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MovementQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["branch_id"], name="movement_branch"),
            models.Index(fields=["branch_id", "product"], name="movement_branch_product"),
            models.Index(fields=["branch_id", "kind"], name="movement_branch_kind"),
            models.Index(fields=["kind"], name="movement_kind"),
            models.Index(fields=["reference"], name="movement_reference"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="movement_not_zero"),
            models.CheckConstraint(condition=models.Q(balance_after__gte=0), name="movement_balance_not_negative"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Ledger rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger rows are never deleted.")
