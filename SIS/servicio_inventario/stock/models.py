"""Stock per (branch, product), the append-only ledger, transfers and stock documents.

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
    # the level a reorder fills up to (servicio_compras' reorder list); null: up to min_quantity
    max_quantity = models.BigIntegerField(null=True, default=None)
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
            models.CheckConstraint(condition=models.Q(max_quantity__isnull=True)
                                   | models.Q(max_quantity__gte=models.F("min_quantity")),
                                   name="stock_max_not_below_min"),
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
    """One stock move of many lines, all or none: another service's sale or return, or a receipt, adjustment or count.

    `reference` is what every ledger row of the document carries: the sale's number, or the
    document's own number (`RC-<id>`, `AJ-<id>`, `CT-<count id>`).
    """

    class Kind(models.TextChoices):
        SALE = "sale"
        RETURN = "return"
        RECEIPT = "receipt"
        ADJUSTMENT = "adjustment"
        COUNT = "count"

    class Reason(models.TextChoices):
        DAMAGE = "damage"
        LOSS = "loss"
        THEFT = "theft"
        EXPIRY = "expiry"
        CORRECTION = "correction"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    branch_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=64)
    user_id = models.PositiveBigIntegerField(null=True)
    supplier_ref = models.CharField(max_length=64, blank=True, default="")  # receipts: the supplier's delivery note
    reason = models.CharField(max_length=12, choices=Reason.choices, blank=True, default="")  # adjustments
    note = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["reference"], name="document_reference"),
            # the receipt and adjustment lists: one kind, maybe one branch, newest first by id
            models.Index(fields=["kind", "branch_id"], name="document_kind_branch"),
        ]


class DocumentLine(models.Model):
    """A line of a receipt or an adjustment as it was asked (sales keep their lines in ventas)."""

    document = models.ForeignKey(StockDocument, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.BigIntegerField()  # signed, as the ledger row
    unit_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True)  # receipts only, when given

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "product"], name="document_line_product"),
            models.CheckConstraint(condition=~models.Q(quantity=0), name="document_line_not_zero"),
        ]


class ProductCost(models.Model):
    """The row a receipt locks before it changes a product's average cost (catalog `Product.cost`).

    Receipts of one product queue on it, so each averages over what the one before left.
    It is locked before any stock row and holds no foreign-key constraint: sales, which
    check the product row by foreign key, never wait on it (docs/inventory.md, average cost).
    """

    product = models.OneToOneField(Product, primary_key=True, db_constraint=False, on_delete=models.DO_NOTHING,
                                   related_name="+")
    last_document = models.ForeignKey(StockDocument, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


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
        COUNT = "count"

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
            # ?date_from=&date_to=, alone or with a branch
            models.Index(fields=["created_at"], name="movement_created"),
            models.Index(fields=["branch_id", "created_at"], name="movement_branch_created"),
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
