"""The company's settings: one row (id 1); until an admin saves it, every read answers the defaults."""
from decimal import Decimal

from django.conf import settings
from django.db import models

SINGLETON_ID = 1


def default_return_days() -> int:
    return settings.EWTTO_RETURN_DAYS


class Company(models.Model):
    name = models.CharField(max_length=120, default="E-WTTO")
    legal_name = models.CharField(max_length=200, blank=True, default="")
    tax_id = models.CharField(max_length=20, blank=True, default="")
    currency = models.CharField(max_length=3, default="PEN")
    # shelf prices include the tax (Peru-style retail): a sale splits each price into net and tax
    prices_include_tax = models.BooleanField(default=True)
    default_tax_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.1800"))
    return_days = models.PositiveSmallIntegerField(default=default_return_days)
    discount_limit_cashier = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("5.00"))
    discount_limit_manager = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("50.00"))
    # a cashier's cash-out above this needs a manager's approval
    cash_out_limit = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("200.00"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "company"

    def __str__(self) -> str:
        return self.name
