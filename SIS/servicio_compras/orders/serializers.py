"""Serializers of the orders API: what a request may say, and the shapes of the answers."""
from rest_framework import serializers

from sis_common.bounds import id_field, money_field
from sis_common.query import QuerySerializer

from .models import OrderStatus, ReceiptStatus

MAX_LINES = 500
MAX_QUANTITY = 1_000_000_000  # inventory's bound of a line


class OrderLineInSerializer(serializers.Serializer):
    product = id_field()
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_cost = money_field(required=False, default=None,
                            help_text="What one unit costs; absent: the supplier product's unit_cost.")


class OrderInSerializer(serializers.Serializer):
    supplier = id_field()
    branch = id_field()
    expected_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    lines = serializers.ListField(child=OrderLineInSerializer(), min_length=1, max_length=MAX_LINES)


class OrderPatchSerializer(serializers.Serializer):
    """Any of the order's fields; `lines` replaces every line."""

    supplier = id_field(required=False)
    branch = id_field(required=False)
    expected_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)
    lines = serializers.ListField(child=OrderLineInSerializer(), min_length=1, max_length=MAX_LINES, required=False)


class OrderLineSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    quantity = serializers.IntegerField()
    unit_cost = money_field()
    received = serializers.IntegerField(help_text="Units of completed receipts (in stock).")


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_code = serializers.CharField(source="supplier.code")
    supplier_name = serializers.CharField(source="supplier.name")
    branch = serializers.IntegerField(source="branch_id")
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    expected_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    lines = OrderLineSerializer(many=True)
    total = money_field()
    created_by = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)


class OrderFilterSerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    supplier = id_field(required=False)
    branch = id_field(required=False)


class ReceiptLineInSerializer(serializers.Serializer):
    product = id_field()
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_cost = money_field(required=False, default=None,
                            help_text="What one unit cost as delivered; absent: the order line's unit_cost.")


class ReceiptInSerializer(serializers.Serializer):
    delivery_note = serializers.RegexField(
        r"^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}$", max_length=40,
        help_text="The supplier's delivery note (guía de remisión): 1-40 of letters, digits, space . _ / -.")
    lines = serializers.ListField(child=ReceiptLineInSerializer(), min_length=1, max_length=MAX_LINES)


class ReceiptLineSerializer(serializers.Serializer):
    product = serializers.IntegerField()
    quantity = serializers.IntegerField()
    unit_cost = money_field()


class ReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField(source="order_id")
    delivery_note = serializers.CharField()
    reference = serializers.CharField(help_text="`<order number>/<delivery note>`: on inventory's ledger rows.")
    status = serializers.ChoiceField(choices=ReceiptStatus.choices)
    lines = ReceiptLineSerializer(many=True)
    user = serializers.IntegerField(source="user_id")
    stock_document = serializers.IntegerField(allow_null=True, help_text="Inventory's receipt document.")
    rejection = serializers.JSONField(allow_null=True)
    created_at = serializers.DateTimeField()
    settled_at = serializers.DateTimeField(allow_null=True)


class OrderReceivedSerializer(OrderSerializer):
    """A receive's answer: the order as it is now, with the receipt."""

    receipt = ReceiptSerializer()


class OrderReceivePendingSerializer(OrderReceivedSerializer):
    code = serializers.CharField(help_text="`receipt_pending`")
    detail = serializers.CharField()
