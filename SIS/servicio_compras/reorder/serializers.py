"""Serializers of the reorder API: the query, the suggestions' shape, and a selection to order."""
from rest_framework import serializers

from sis_common.bounds import id_field
from sis_common.query import QuerySerializer

from orders.serializers import MAX_LINES, MAX_QUANTITY, OrderSerializer

# a sum of many lines may pass what one money column holds, so totals are wider decimals than money_field
TOTAL_DIGITS = 30


class ReorderQuerySerializer(QuerySerializer):
    branch = id_field()


class ReorderSupplierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ReorderLineSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    on_hand = serializers.IntegerField(help_text="the branch's stock now")
    min_quantity = serializers.IntegerField()
    max_quantity = serializers.IntegerField(allow_null=True)
    target = serializers.IntegerField(help_text="max_quantity, or min_quantity when there is no maximum")
    needed = serializers.IntegerField(help_text="target - on_hand")
    suggested = serializers.IntegerField(help_text="needed rounded up to whole packs of the supplier")
    pack_size = serializers.IntegerField(help_text="the supplier's; 1 when no supplier sells the product")
    unit_cost = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    supplier_sku = serializers.CharField(allow_blank=True)
    lead_time_days = serializers.IntegerField(allow_null=True)
    total = serializers.DecimalField(max_digits=TOTAL_DIGITS, decimal_places=2, allow_null=True,
                                     help_text="suggested × unit_cost")


class ReorderGroupSerializer(serializers.Serializer):
    supplier = ReorderSupplierSerializer(allow_null=True, help_text="null: products no active supplier sells")
    lines = ReorderLineSerializer(many=True)
    total = serializers.DecimalField(max_digits=TOTAL_DIGITS, decimal_places=2, allow_null=True)


class ReorderSerializer(serializers.Serializer):
    branch = serializers.IntegerField()
    truncated = serializers.BooleanField(help_text="more products are below their minimum than one list holds")
    groups = ReorderGroupSerializer(many=True)


class ReorderOrderLineSerializer(serializers.Serializer):
    product = id_field()
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    supplier = id_field(help_text="the supplier to order it from: any active supplier that sells it")


class ReorderOrdersInSerializer(serializers.Serializer):
    branch = id_field()
    lines = serializers.ListField(child=ReorderOrderLineSerializer(), min_length=1, max_length=MAX_LINES)

    def validate_lines(self, lines):
        pairs = [(line["supplier"], line["product"]) for line in lines]
        if len(set(pairs)) != len(pairs):
            raise serializers.ValidationError("Each product may appear once per supplier.", code="duplicate_product")
        return lines


class ReorderOrdersSerializer(serializers.Serializer):
    orders = OrderSerializer(many=True, help_text="one draft order per supplier, in supplier id order")
