"""Query parameters and answer shapes of the purchasing reports (the selectors build the data)."""
from datetime import timedelta

from rest_framework import serializers

from sis_common.bounds import id_field
from sis_common.errors import DomainError
from sis_common.exports import FormatQuerySerializer

from .selectors import RECEIVED_GROUPS

MAX_RANGE_DAYS = 366
VALUE_DIGITS = 30  # a sum of many lines may pass what one money column holds


def _value(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=VALUE_DIGITS, decimal_places=2, **kwargs)


def _bad_range(message: str) -> DomainError:
    return DomainError(message, "invalid_date_range", 400, date_to=[message])


class OpenOrdersQuerySerializer(FormatQuerySerializer):
    branch = id_field(required=False)
    supplier = id_field(required=False)


class _DatesQuerySerializer(FormatQuerySerializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    branch = id_field(required=False)
    supplier = id_field(required=False)

    def validate(self, attrs):
        # rules across two fields, which no schema states: their own code, not `invalid`
        if attrs["date_to"] < attrs["date_from"]:
            raise _bad_range("date_to may not be before date_from.")
        if attrs["date_to"] - attrs["date_from"] > timedelta(days=MAX_RANGE_DAYS):
            raise _bad_range(f"A range covers at most {MAX_RANGE_DAYS} days.")
        return attrs


class ReceivedQuerySerializer(_DatesQuerySerializer):
    group_by = serializers.ChoiceField(choices=list(RECEIVED_GROUPS), required=False, default="day")


class LeadTimeQuerySerializer(_DatesQuerySerializer):
    pass


class _SupplierSerializer(serializers.Serializer):
    supplier = serializers.IntegerField()
    supplier_code = serializers.CharField()
    supplier_name = serializers.CharField()


class OpenOrdersRowSerializer(_SupplierSerializer):
    branch = serializers.IntegerField()
    orders = serializers.IntegerField()
    overdue_orders = serializers.IntegerField(help_text="past their expected_on")
    ordered_units = serializers.IntegerField()
    received_units = serializers.IntegerField()
    outstanding_units = serializers.IntegerField()
    ordered_value = _value()
    received_value = _value()
    outstanding_value = _value()


class OpenOrdersReportSerializer(serializers.Serializer):
    branch = serializers.IntegerField(allow_null=True)
    supplier = serializers.IntegerField(allow_null=True)
    results = OpenOrdersRowSerializer(many=True)


class _ReceivedSumsSerializer(serializers.Serializer):
    receipts = serializers.IntegerField()
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    value = _value()


class ReceivedRowSerializer(_ReceivedSumsSerializer):
    date = serializers.DateField(required=False, help_text="group_by=day")
    branch = serializers.IntegerField(required=False, help_text="group_by=branch")
    supplier = serializers.IntegerField(required=False, help_text="group_by=supplier")
    supplier_code = serializers.CharField(required=False, help_text="group_by=supplier")
    supplier_name = serializers.CharField(required=False, help_text="group_by=supplier")


class ReceivedReportSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.ChoiceField(choices=list(RECEIVED_GROUPS))
    branch = serializers.IntegerField(allow_null=True)
    supplier = serializers.IntegerField(allow_null=True)
    results = ReceivedRowSerializer(many=True)
    total = _ReceivedSumsSerializer()


class LeadTimeRowSerializer(_SupplierSerializer):
    orders = serializers.IntegerField(help_text="confirmed in the days, not cancelled")
    received = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField(help_text="received past the lead time, or still open past it")
    pending = serializers.IntegerField(help_text="open, within the lead time")
    on_time_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True,
                                            help_text="on_time / (on_time + late); null when neither")
    average_days = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True,
                                            help_text="days from confirmation to the last receipt, received orders")


class LeadTimeReportSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    branch = serializers.IntegerField(allow_null=True)
    supplier = serializers.IntegerField(allow_null=True)
    results = LeadTimeRowSerializer(many=True)
