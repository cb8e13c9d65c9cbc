"""Serializers of the company settings: bounded input (tax 0..1, limits 0..100, money), one answer shape."""
from rest_framework import serializers

from sis_common.bounds import money_field, percent_field, rate_field


class DiscountLimitsSerializer(serializers.Serializer):
    cashier = percent_field(source="discount_limit_cashier",
                            help_text="Largest discount (percent) a cashier gives without approval.")
    manager = percent_field(source="discount_limit_manager",
                            help_text="Largest discount (percent) a manager gives or approves; at least the cashier's.")


class CompanySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    legal_name = serializers.CharField(max_length=200, allow_blank=True)
    tax_id = serializers.CharField(max_length=20, allow_blank=True)
    currency = serializers.RegexField(r"^[A-Z]{3}$", max_length=3, help_text="ISO 4217 code, e.g. PEN.")
    prices_include_tax = serializers.BooleanField(help_text="Product prices are shelf prices that include the tax.")
    default_tax_rate = rate_field(help_text="Tax rate of a product created without one (fraction, 0.1800 = 18 %).")
    return_days = serializers.IntegerField(min_value=0, max_value=3650)
    # the row keeps the two limits as columns; the API groups them
    discount_limits = DiscountLimitsSerializer(source="*")
    cash_out_limit = money_field(help_text="A cashier's cash-out above this needs a manager's approval.")


class DiscountLimitsPatchSerializer(DiscountLimitsSerializer):
    """A change may name one limit; the other stays as it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class CompanyPatchSerializer(CompanySerializer):
    """The body of a change: any subset of the settings (the schema's PatchedCompany says so)."""

    discount_limits = DiscountLimitsPatchSerializer(source="*", required=False)
