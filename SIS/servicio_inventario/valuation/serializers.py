"""The valuation report's query and the shape of its answer (for the schema)."""
from rest_framework import serializers

from sis_common.bounds import id_field
from sis_common.exports import FormatQuerySerializer


class ValuationQuerySerializer(FormatQuerySerializer):
    branch = id_field(required=False, help_text="one branch; without it, every branch the caller sees, summed")


class ValuationLineSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    quantity = serializers.IntegerField()
    unit_cost = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="the moving average cost")
    value = serializers.DecimalField(max_digits=30, decimal_places=2, help_text="quantity × unit_cost")


class ValuationSerializer(serializers.Serializer):
    lines = ValuationLineSerializer(many=True)
    total = serializers.DecimalField(max_digits=30, decimal_places=2, help_text="the sum of the lines' values")
