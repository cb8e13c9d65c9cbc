"""Purchase orders, their lines, and receipts of goods against them.

A receipt is a saga with inventory, like a sale in servicio_ventas: it is stored
`pending` with the key of its stock move (`saga_key`) before inventory is asked,
and only then becomes `completed` (its units added to the order lines' `received`)
or `rejected`; `next_attempt_at` schedules the reconciler.
"""
from django.db import models


class OrderStatus(models.TextChoices):
    DRAFT = "draft"
    CONFIRMED = "confirmed"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


RECEIVABLE = frozenset({OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_RECEIVED})


class PurchaseOrder(models.Model):
    # `PO-<id, six digits at least>`, set in the transaction that creates the order: unique, not gap-free
    number = models.CharField(max_length=24, unique=True, null=True)
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="orders")
    branch_id = models.PositiveBigIntegerField()
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    expected_on = models.DateField(null=True, blank=True)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    note = models.CharField(max_length=255, blank=True, default="")
    created_by = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # when it was closed: every unit received, or cancelled (a partially received order closes as received)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["branch_id", "status"], name="order_branch_status"),
            models.Index(fields=["supplier", "status"], name="order_supplier_status"),
        ]

    def __str__(self) -> str:
        return self.number or f"PO #{self.pk}"


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.BigIntegerField()  # servicio_inventario's product id
    quantity = models.PositiveIntegerField()
    unit_cost = models.DecimalField(max_digits=12, decimal_places=2)
    # units of completed receipts (their stock is in inventory); pending receipts are not counted here
    received = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["order", "product"], name="order_product_once")]


class ReceiptStatus(models.TextChoices):
    PENDING = "pending"
    COMPLETED = "completed"
    REJECTED = "rejected"


class Receipt(models.Model):
    """Goods delivered against an order (one delivery note), put into stock by inventory exactly once."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="receipts")
    delivery_note = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=ReceiptStatus.choices, default=ReceiptStatus.PENDING)
    user_id = models.PositiveBigIntegerField()
    # the client's Idempotency-Key (unique per user) and the fingerprint of the body it came with
    idempotency_key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    # the key of the stock move: never changes, so every retry is the same request to inventory
    saga_key = models.CharField(max_length=64, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True, default="")
    # the receiving user's access token, forwarded with every attempt; emptied once settled
    acting_token = models.TextField(blank=True, default="")
    stock_document = models.PositiveBigIntegerField(null=True)  # inventory's receipt document
    rejection = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["user_id", "idempotency_key"], name="receipt_key_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="receipt_pending_due")]

    @property
    def reference(self) -> str:
        """What inventory's receipt document and every ledger row of it carry."""
        return f"{self.order.number}/{self.delivery_note}"


class ReceiptLine(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    product = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    unit_cost = models.DecimalField(max_digits=12, decimal_places=2)  # as received, else the order line's

    class Meta:
        ordering = ["id"]
