"""What the columns hold, as serializer fields: an id or amount past them is a 400, never a database error.

Ids are BIGINT (signed in the services that create them); money is
DECIMAL(12,2) wherever it is stored, written as a decimal string ("12.50",
"3", "0.5"): the field accepts exactly what its published pattern says, so a
number, a blank, a sign or an exponent is refused as the schema promises.
"""
from __future__ import annotations

import re
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_ID = 2**63 - 1
MONEY_DIGITS = 12
MONEY_MAX = Decimal("9999999999.99")
# at most 10 digits before the point, no leading zeros, at most 2 after it
MONEY_PATTERN = r"^(?:0|[1-9][0-9]{0,9})(?:\.[0-9]{1,2})?$"
# the same, without zero ("0", "0.0", "0.00")
POSITIVE_MONEY_PATTERN = r"^(?:[1-9][0-9]{0,9}(?:\.[0-9]{1,2})?|0\.(?:0[1-9]|[1-9][0-9]?))$"


# a fraction 0..1 with at most 4 places ("0.18", "0.1800", "1", "0"): tax rates
RATE_PATTERN = r"^(?:0(?:\.[0-9]{1,4})?|1(?:\.0{1,4})?)$"
# a percentage 0..100 with at most 2 places ("5", "5.00", "100"): discount limits
PERCENT_PATTERN = r"^(?:100(?:\.0{1,2})?|[1-9]?[0-9](?:\.[0-9]{1,2})?)$"


def id_field(**kwargs) -> serializers.IntegerField:
    """A reference to a row of this or another service."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class _Money(serializers.DecimalField):
    pattern = re.compile(MONEY_PATTERN)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.pattern.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "decimal", "pattern": MONEY_PATTERN, "example": "12.50"})
class MoneyField(_Money):
    pass


@extend_schema_field({"type": "string", "format": "decimal", "pattern": POSITIVE_MONEY_PATTERN, "example": "12.50"})
class PositiveMoneyField(_Money):
    pattern = re.compile(POSITIVE_MONEY_PATTERN)


def money_field(*, positive: bool = False, **kwargs) -> serializers.DecimalField:
    """An amount a DECIMAL(12,2) column holds, as a decimal string; `positive` refuses zero."""
    field = PositiveMoneyField if positive else MoneyField
    return field(max_digits=MONEY_DIGITS, decimal_places=2, min_value=Decimal("0.00"), max_value=MONEY_MAX,
                 **kwargs)


def rate_text(value) -> str:
    """A rate as every answer writes it: four places ("0.1800"), what a DECIMAL(5,4) column holds."""
    return f"{value:.4f}"


def money_text(value) -> str:
    """An amount as every answer writes it: a decimal string with two places ("12.50"), what a money column holds."""
    return f"{value:.2f}"


class _Patterned(serializers.DecimalField):
    pattern: re.Pattern

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.pattern.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "decimal", "pattern": RATE_PATTERN, "example": "0.1800"})
class RateField(_Patterned):
    pattern = re.compile(RATE_PATTERN)


@extend_schema_field({"type": "string", "format": "decimal", "pattern": PERCENT_PATTERN, "example": "5.00"})
class PercentField(_Patterned):
    pattern = re.compile(PERCENT_PATTERN)


def rate_field(**kwargs) -> serializers.DecimalField:
    """A fraction 0..1 as a decimal string, stored as DECIMAL(5,4) and answered with 4 places ("0.1800")."""
    return RateField(max_digits=5, decimal_places=4, min_value=Decimal("0"), max_value=Decimal("1"), **kwargs)


def percent_field(**kwargs) -> serializers.DecimalField:
    """A percentage 0..100 as a decimal string, stored as DECIMAL(5,2) and answered with 2 places ("5.00")."""
    return PercentField(max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100"), **kwargs)
