"""The points ledger (append-only, like inventory's stock ledger) and the records that make each change happen once.

`Customer.points` is the balance; every change of it appends a `PointsEntry` with
the signed quantity and the balance after it, so a customer's entries sum to their
points (loyalty.ledger is the one writer). `Earning` is a sale's points (one per
sale, the base its reversals are proportional to), `Reversal` one return's share
of them, `Reservation` points held by a pending sale that pays with them.
"""
from django.db import models

MONEY = {"max_digits": 12, "decimal_places": 2}


class PointsEntry(models.Model):
    class Kind(models.TextChoices):
        EARN = "earn"  # a completed sale's points
        REVERSE = "reverse"  # a return takes back its share of them
        SPEND = "spend"  # a sale pays with points (held at once, so they cannot be spent twice)
        RELEASE = "release"  # a sale that paid with points was refused: they come back

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="points_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    quantity = models.BigIntegerField()  # signed: + earn and release, - reverse and spend
    balance_after = models.PositiveBigIntegerField()
    # what caused it in ventas: "sale:12", "sale:12:return:3"
    reference = models.CharField(max_length=64)
    note = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["customer", "id"], name="points_entry_customer")]


class Earning(models.Model):
    """The points a completed sale earned; its reversals take back a share proportional to what they refund."""

    reference = models.CharField(max_length=64, unique=True)  # "sale:<id>"
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="earnings")
    amount = models.DecimalField(**MONEY)  # what the points were earned on
    points = models.PositiveBigIntegerField()
    reversed_amount = models.DecimalField(**MONEY, default=0)  # refunded by the reversals so far
    reversed_points = models.PositiveBigIntegerField(default=0)  # due back so far, taken or not
    created_at = models.DateTimeField(auto_now_add=True)


class Reversal(models.Model):
    """One return's share of its sale's points: `points` due, `taken` what the balance still held."""

    reference = models.CharField(max_length=64, unique=True)  # "sale:<id>:return:<id>"
    earning = models.ForeignKey(Earning, on_delete=models.PROTECT, related_name="reversals")
    amount = models.DecimalField(**MONEY)
    points = models.PositiveBigIntegerField()
    taken = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class Reservation(models.Model):
    """Points a pending sale pays with: taken from the balance when held, given back only if released."""

    class Status(models.TextChoices):
        HELD = "held"
        CONFIRMED = "confirmed"  # the sale completed: spent for good
        RELEASED = "released"  # the sale was refused: given back (or never held, when released first)

    key = models.CharField(max_length=64, unique=True)  # ventas' key of the sale's points
    customer = models.ForeignKey("customers.Customer", null=True, on_delete=models.PROTECT,
                                 related_name="reservations")
    points = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)
