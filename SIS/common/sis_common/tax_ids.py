"""Peruvian tax ids (RUC): 11 digits whose last is a check digit over the first ten, as SUNAT computes it."""
from __future__ import annotations

import re

from rest_framework import serializers

RUC_PATTERN = r"^(10|15|16|17|20)[0-9]{9}$"
_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def ruc_check_digit(first_ten: str) -> int:
    remainder = sum(int(d) * w for d, w in zip(first_ten, _WEIGHTS)) % 11
    return (11 - remainder) % 10


def ruc_valid(value: str) -> bool:
    """11 digits, a taxpayer-type prefix (10 person, 15/16/17 others, 20 company) and the right check digit."""
    return bool(re.fullmatch(RUC_PATTERN, value)) and ruc_check_digit(value[:10]) == int(value[10])


class RucField(serializers.RegexField):
    """A RUC as a string: the pattern is published in the schema, the check digit is checked too."""

    default_error_messages = {"invalid": "Not a valid RUC (11 digits with its check digit).",
                              "check_digit": "The RUC's check digit does not match."}

    def __init__(self, **kwargs):
        super().__init__(RUC_PATTERN, max_length=11, min_length=11, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        # the pattern's validator runs after this: the shape is checked here so each refusal names its rule
        if not re.fullmatch(RUC_PATTERN, value):
            self.fail("invalid")
        if not ruc_valid(value):
            self.fail("check_digit")
        return value
