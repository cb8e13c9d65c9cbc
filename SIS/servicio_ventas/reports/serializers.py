"""Query parameters of the report endpoints."""
from datetime import timedelta

from rest_framework import serializers

from sis_common.bounds import id_field
from sis_common.errors import DomainError
from sis_common.exports import FormatQuerySerializer
from sales.serializers import by_method_serializer

MAX_RANGE_DAYS = 366


def _bad_range(message: str) -> DomainError:
    return DomainError(message, "invalid_date_range", 400, date_to=[message], fields={"date_to": [message]})


class DailyQuerySerializer(FormatQuerySerializer):
    branch = id_field(required=False)
    date = serializers.DateField(required=False)


class _DatesQuerySerializer(FormatQuerySerializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    branch = id_field(required=False)

    def validate(self, attrs):
        # rules across two fields, which no schema states: their own code, not `invalid`
        if attrs["date_to"] < attrs["date_from"]:
            raise _bad_range("date_to may not be before date_from.")
        if attrs["date_to"] - attrs["date_from"] > timedelta(days=MAX_RANGE_DAYS):
            raise _bad_range(f"A range covers at most {MAX_RANGE_DAYS} days.")
        return attrs


class RangeQuerySerializer(_DatesQuerySerializer):
    group_by = serializers.ChoiceField(choices=["branch", "cashier"], required=False, default="branch")


class ProductQuerySerializer(_DatesQuerySerializer):
    category = id_field(required=False, help_text="the product's category when sold (lines sold before it was "
                                                  "recorded match no category)")


_ByMethodSerializer = by_method_serializer("_ByMethodSerializer")


class _TotalsSerializer(serializers.Serializer):
    """The shape of the report answers, for the OpenAPI schema (selectors build the data)."""

    sales_count = serializers.IntegerField()
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)
    tax = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    discount_total = serializers.DecimalField(max_digits=14, decimal_places=2,
                                              help_text="the sales' discounts, lines' and sales', already out of total")
    by_payment_method = _ByMethodSerializer()
    returns_count = serializers.IntegerField()
    returns_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    refunds_by_payment_method = _ByMethodSerializer()
    net_total = serializers.DecimalField(max_digits=14, decimal_places=2)


class _TopProductSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class DailyReportSerializer(_TotalsSerializer):
    branch = serializers.IntegerField(allow_null=True)
    date = serializers.DateField()
    top_products = _TopProductSerializer(many=True)


class RangeRowSerializer(_TotalsSerializer):
    branch = serializers.IntegerField()
    cashier = serializers.IntegerField(required=False, help_text="only when group_by=cashier")

    def get_fields(self):
        # a cashier's row has no subtotal, tax or refunds by method (reports.selectors.range_report)
        fields = super().get_fields()
        for name in ("subtotal", "tax", "refunds_by_payment_method"):
            fields[name].required = False
            fields[name].help_text = "only when group_by=branch"
        return fields


class RangeReportSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.CharField()
    results = RangeRowSerializer(many=True)


class ProductRowSerializer(serializers.Serializer):
    """A row of the product report (reports.products): completed sales less completed returns."""

    product = serializers.IntegerField()
    sku = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    quantity = serializers.IntegerField()
    net = serializers.DecimalField(max_digits=14, decimal_places=2)
    tax = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    cost = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True,
                                    help_text="quantity × the unit cost when sold; null when a line's cost is unknown")
    margin = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, help_text="net − cost")


class ProductReportSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    branch = serializers.IntegerField(allow_null=True)
    category = serializers.IntegerField(allow_null=True)
    results = ProductRowSerializer(many=True)
