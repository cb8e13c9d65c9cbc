"""Daily aggregates per branch, per product and per cashier, added to in each completion's transaction.

Reports read these few rows instead of scanning sale lines, so their cost does
not grow with the number of sales; `reports.services` keeps them exact.
Columns carry database defaults because the upserts name only the columns they add to.
"""
from django.db import models

MONEY = {"max_digits": 14, "decimal_places": 2, "default": 0, "db_default": 0}


class DailyBranchTotals(models.Model):
    branch_id = models.PositiveBigIntegerField()
    date = models.DateField()
    sales_count = models.PositiveIntegerField(default=0, db_default=0)
    subtotal = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    # the sales' discounts (lines' and the sale's), already out of total
    discount_total = models.DecimalField(**MONEY)
    cash = models.DecimalField(**MONEY)
    card = models.DecimalField(**MONEY)
    transfer = models.DecimalField(**MONEY)
    points = models.DecimalField(**MONEY)
    returns_count = models.PositiveIntegerField(default=0, db_default=0)
    returns_total = models.DecimalField(**MONEY)
    refund_cash = models.DecimalField(**MONEY)
    refund_card = models.DecimalField(**MONEY)
    refund_transfer = models.DecimalField(**MONEY)
    refund_points = models.DecimalField(**MONEY)  # always 0: what points paid is not refunded (sales.refunds)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["branch_id", "date"], name="daily_branch_unique")]
        indexes = [models.Index(fields=["date"], name="daily_branch_date")]


class DailyProductTotals(models.Model):
    branch_id = models.PositiveBigIntegerField()
    date = models.DateField()
    product_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=200)
    quantity = models.IntegerField(default=0, db_default=0)
    total = models.DecimalField(**MONEY)
    returned_quantity = models.IntegerField(default=0, db_default=0)
    returned_total = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch_id", "date", "product_id"], name="daily_product_unique"),
        ]
        indexes = [
            # a day's top products over every branch: grouped from the index alone, never the rows
            models.Index(fields=["date", "product_id", "quantity", "total"], name="daily_product_date_cover"),
            # a day's top products at one branch: the first ten entries of this index, in report order
            models.Index(fields=["branch_id", "date", "-quantity", "-total", "product_id"], name="daily_product_top"),
        ]


class DailyCashierTotals(models.Model):
    branch_id = models.PositiveBigIntegerField()
    date = models.DateField()
    user_id = models.PositiveBigIntegerField()
    sales_count = models.PositiveIntegerField(default=0, db_default=0)
    total = models.DecimalField(**MONEY)
    discount_total = models.DecimalField(**MONEY)
    cash = models.DecimalField(**MONEY)
    card = models.DecimalField(**MONEY)
    transfer = models.DecimalField(**MONEY)
    points = models.DecimalField(**MONEY)
    returns_count = models.PositiveIntegerField(default=0, db_default=0)
    returns_total = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch_id", "date", "user_id"], name="daily_cashier_unique"),
        ]
        indexes = [models.Index(fields=["date", "user_id"], name="daily_cashier_date_user")]
