"""Serializers of the loyalty endpoints: what ventas sends (internal) and how the ledger is shown."""
from rest_framework import serializers

from sis_common.bounds import id_field, money_field

from .models import PointsEntry

MAX_POINTS = 10**12  # more than any till would spend; keeps a BIGINT far from overflowing
REFERENCE = {"max_length": 64, "min_length": 1}


class EarningInSerializer(serializers.Serializer):
    customer = id_field()
    reference = serializers.RegexField(r"^sale:[0-9]{1,19}$", **REFERENCE)
    amount = money_field()


class ReversalInSerializer(serializers.Serializer):
    sale_reference = serializers.RegexField(r"^sale:[0-9]{1,19}$", **REFERENCE)
    reference = serializers.RegexField(r"^sale:[0-9]{1,19}:return:[0-9]{1,19}$", **REFERENCE)
    amount = money_field()


class ReservationInSerializer(serializers.Serializer):
    customer = id_field()
    points = serializers.IntegerField(min_value=1, max_value=MAX_POINTS)
    reference = serializers.RegexField(r"^sale:[0-9]{1,19}$", **REFERENCE)


class ReleaseInSerializer(serializers.Serializer):
    reference = serializers.RegexField(r"^sale:[0-9]{1,19}$", **REFERENCE)


class PointsEntrySerializer(serializers.ModelSerializer):
    customer = serializers.IntegerField(source="customer_id")

    class Meta:
        model = PointsEntry
        fields = ["id", "customer", "kind", "quantity", "balance_after", "reference", "note", "created_at"]
