"""Sales, their lines and payments, returns, and the counters of sale numbers and legal document numbers.

A sale or a return is a saga with inventory: it is stored `pending` with the
key its stock move uses (`saga_key`) before inventory is asked, and only then
becomes `completed` or `rejected`; `next_attempt_at` schedules the reconciler.
"""
from django.db import models

MONEY = {"max_digits": 12, "decimal_places": 2}


class SagaStatus(models.TextChoices):
    PENDING = "pending"
    COMPLETED = "completed"
    REJECTED = "rejected"


class PaymentMethod(models.TextChoices):
    CASH = "cash"
    CARD = "card"
    TRANSFER = "transfer"
    # the customer's loyalty points, held in servicio_clientes while the sale is pending (sales.loyalty)
    POINTS = "points"


class DocumentType(models.TextChoices):
    """The legal document a sale issues: a receipt (boleta) for consumers, an invoice (factura) to a tax id."""

    RECEIPT = "receipt"
    INVOICE = "invoice"


class SagaFields(models.Model):
    """What a sale and a return share: the client's key, the stock-move key and the retry state."""

    status = models.CharField(max_length=10, choices=SagaStatus.choices, default=SagaStatus.PENDING)
    user_id = models.PositiveBigIntegerField()
    idempotency_key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    saga_key = models.CharField(max_length=64, unique=True)
    stock_move_id = models.PositiveBigIntegerField(null=True, blank=True)
    rejection = models.JSONField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True, default="")
    # the access token of the user who asked, forwarded with every stock move of this saga so inventory
    # takes the user and branch from auth's signature, not from us; emptied once the saga is settled
    acting_token = models.TextField(blank=True, default="")
    business_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Sale(SagaFields):
    branch_id = models.PositiveBigIntegerField()
    branch_code = models.CharField(max_length=20)
    # assigned on completion from the branch's counter, so completed sales are gap-free per branch
    sequence = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(max_length=40, null=True, blank=True)
    session = models.ForeignKey("cash.CashSession", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="sales")
    # the company's default rate when sold; each line carries its own (sales.pricing)
    tax_rate = models.DecimalField(max_digits=6, decimal_places=4)
    # whether the lines' prices included tax (the company's setting when sold); sales before it: no
    prices_include_tax = models.BooleanField(default=False)
    subtotal = models.DecimalField(**MONEY)  # the lines' net
    tax = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    discount_total = models.DecimalField(**MONEY, default=0)
    # the sale's own discount as asked (`{percent}` or `{amount}`), spread over the lines' `discount`
    discount = models.JSONField(null=True, blank=True)
    paid = models.DecimalField(**MONEY)
    change = models.DecimalField(**MONEY)
    # who sold, as the receipt prints them (the token's username and name when sold)
    cashier_username = models.CharField(max_length=150, blank=True, default="")
    cashier_name = models.CharField(max_length=300, blank=True, default="")
    # the manager or admin who approved a discount above the cashier's limit by PIN (sales.approvals)
    approved_by = models.PositiveBigIntegerField(null=True, blank=True)
    approved_by_username = models.CharField(max_length=150, blank=True, default="")
    # the buyer, a customer of servicio_clientes; none for an anonymous walk-in sale
    customer_id = models.PositiveBigIntegerField(null=True, blank=True)
    document_type = models.CharField(max_length=10, choices=DocumentType.choices, default=DocumentType.RECEIPT)
    # the legal number (F001-00000045), assigned on completion from its series' counter (sales.numbering)
    document_series = models.CharField(max_length=10, null=True, blank=True)
    document_sequence = models.PositiveIntegerField(null=True, blank=True)
    document_number = models.CharField(max_length=24, null=True, blank=True)
    # what the points payments spend (their amount / the point's value) and the key they are held by in
    # servicio_clientes; `points_held` once clientes said so (sales.saga)
    points_spent = models.PositiveBigIntegerField(default=0)
    points_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    points_held = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user_id", "idempotency_key"], name="sale_user_idempotency_key"),
            models.UniqueConstraint(fields=["branch_id", "sequence"], name="sale_branch_sequence"),
            models.UniqueConstraint(fields=["document_series", "document_sequence"], name="sale_document_number"),
        ]
        indexes = [
            models.Index(fields=["branch_id", "business_date", "status"], name="sale_branch_date_status"),
            models.Index(fields=["business_date", "status"], name="sale_date_status"),
            models.Index(fields=["status", "next_attempt_at"], name="sale_pending_due"),
            # a customer's history (GET /internal/sales/?customer=), keyset-paged by id
            models.Index(fields=["customer_id", "status", "id"], name="sale_customer_status"),
        ]

    def __str__(self) -> str:
        return self.number or f"sale {self.pk} ({self.status})"


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    product_id = models.PositiveBigIntegerField()
    sku = models.CharField(max_length=64, blank=True, default="")
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(**MONEY)  # the shelf price, with or without tax as the sale says
    quantity = models.PositiveIntegerField()
    tax_rate = models.DecimalField(max_digits=6, decimal_places=4, default=0)
    discount = models.DecimalField(**MONEY, default=0)  # its own discount and its share of the sale's
    net = models.DecimalField(**MONEY, default=0)
    tax = models.DecimalField(**MONEY, default=0)
    total = models.DecimalField(**MONEY)  # net + tax: what the customer pays for the line
    # inventory's moving average cost and the product's category when sold (the product report's margin
    # and filter); null on lines sold before inventory said them
    unit_cost = models.DecimalField(**MONEY, null=True, blank=True)
    category_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["product_id"]
        constraints = [models.UniqueConstraint(fields=["sale", "product_id"], name="sale_line_one_per_product")]
        indexes = [models.Index(fields=["product_id"], name="sale_line_product")]


class Payment(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["id"]


class SaleReturn(SagaFields):
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="returns")
    branch_id = models.PositiveBigIntegerField()
    session = models.ForeignKey("cash.CashSession", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="returns")
    reason = models.CharField(max_length=255, blank=True, default="")
    refund_method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    subtotal = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY)
    refund_amount = models.DecimalField(**MONEY)
    # the manager who approved a return the cashier could not make alone (sales.refunds)
    approved_by = models.PositiveBigIntegerField(null=True, blank=True)
    # the credit note it issues (BC01-00000007), numbered on completion like a sale's document, and the
    # document of the sale it corrects
    document_series = models.CharField(max_length=10, null=True, blank=True)
    document_sequence = models.PositiveIntegerField(null=True, blank=True)
    document_number = models.CharField(max_length=24, null=True, blank=True)
    referenced_document = models.CharField(max_length=24, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["user_id", "idempotency_key"], name="return_user_idempotency_key"),
            models.UniqueConstraint(fields=["document_series", "document_sequence"], name="return_document_number"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="return_pending_due"),
            models.Index(fields=["branch_id", "business_date", "status"], name="return_branch_date_status"),
        ]


class ReturnLine(models.Model):
    sale_return = models.ForeignKey(SaleReturn, on_delete=models.CASCADE, related_name="lines")
    product_id = models.PositiveBigIntegerField()
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(**MONEY)
    net = models.DecimalField(**MONEY, default=0)
    tax = models.DecimalField(**MONEY, default=0)
    total = models.DecimalField(**MONEY)  # net + tax: what this line refunds (sales.pricing.line_refund)

    class Meta:
        ordering = ["product_id"]


class BranchCounter(models.Model):
    """The last sale number given at a branch; locked by each completion there."""

    branch_id = models.PositiveBigIntegerField(primary_key=True)
    last_sequence = models.PositiveIntegerField(default=0)


class DocumentCounter(models.Model):
    """The last legal number given in a document series (B001, F001, BC01, FC01…); locked by each completion."""

    series = models.CharField(max_length=10, primary_key=True)
    last_sequence = models.PositiveIntegerField(default=0)


class LoyaltyCall(models.Model):
    """A call owed to servicio_clientes' loyalty (earn, reverse, confirm, release), written with what caused it.

    Stored in the completion's (or rejection's) transaction, then sent after the commit and
    by the reconciler until clientes answers, always with the same key: an outbox, so
    points are never lost when clientes is down and never counted twice.
    """

    class Kind(models.TextChoices):
        EARN = "earn"
        REVERSE = "reverse"
        CONFIRM = "confirm"
        RELEASE = "release"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=80, unique=True)  # the Idempotency-Key clientes sees
    path = models.CharField(max_length=200)
    body = models.JSONField()
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="loyalty_calls")
    done = models.BooleanField(default=False)
    answer = models.JSONField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["done", "next_attempt_at"], name="loyalty_call_due")]
