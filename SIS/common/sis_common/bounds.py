"""What the columns hold, as serializer fields: an id or amount past them is a 400, never a database error.

Ids are BIGINT (signed in the services that create them); money is
DECIMAL(12,2) wherever it is stored.
"""
from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

MAX_ID = 2**63 - 1
MONEY_DIGITS = 12
MONEY_MAX = Decimal("9999999999.99")


def id_field(**kwargs) -> serializers.IntegerField:
    """A reference to a row of this or another service."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def money_field(*, min_value: Decimal = Decimal("0.00"), **kwargs) -> serializers.DecimalField:
    """An amount with two decimals that a DECIMAL(12,2) column holds."""
    return serializers.DecimalField(max_digits=MONEY_DIGITS, decimal_places=2, min_value=min_value,
                                    max_value=MONEY_MAX, **kwargs)
