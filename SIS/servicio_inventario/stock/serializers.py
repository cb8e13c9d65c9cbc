"""Serializers of the stock API: strict input validation (400 with field messages) and public shapes."""
from rest_framework import serializers

from sis_common.query import QuerySerializer

from catalog.selectors import existing_product_ids

from .models import Movement, Stock, StockDocument, Transfer

MAX_QUANTITY = 1_000_000_000
MAX_ID = 2**63 - 1
MAX_LINES = 500
# a rule across kind and quantity, which no schema states (sis_common.errors names the answer after it)
QUANTITY_FOR_KIND = "quantity_for_kind"


def branch_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def product_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def unknown_product(product_id: int) -> str:
    return f"Unknown product {product_id}."


class LineSerializer(serializers.Serializer):
    product = product_field()
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class LinesMixin:
    """Every product of the lines exists (one query for all lines); unless allowed, each appears once."""

    repeated_products = False

    def validate_lines(self, lines):
        products = [line["product"] for line in lines]
        if not self.repeated_products and len(set(products)) != len(products):
            raise serializers.ValidationError("Each product may appear in one line only.", code="duplicate_product")
        known = existing_product_ids(ids=products)
        # keyed by line index, the shape DRF gives the lines' own field errors
        errors = {i: {"product": [serializers.ErrorDetail(unknown_product(line["product"]), code="unknown_product")]}
                  for i, line in enumerate(lines) if line["product"] not in known}
        if errors:
            raise serializers.ValidationError(errors)
        return [(line["product"], line["quantity"]) for line in lines]


def lines_field() -> serializers.ListField:
    return serializers.ListField(child=LineSerializer(), min_length=1, max_length=MAX_LINES)


class MovementCreateSerializer(serializers.Serializer):
    branch = branch_field()
    product = product_field()
    kind = serializers.ChoiceField(choices=[Movement.Kind.RECEIPT, Movement.Kind.ADJUSTMENT])
    quantity = serializers.IntegerField(min_value=-MAX_QUANTITY, max_value=MAX_QUANTITY)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")

    def validate_product(self, value):
        if value not in existing_product_ids(ids=[value]):
            raise serializers.ValidationError(unknown_product(value), code="unknown_product")
        return value

    def validate(self, attrs):
        if attrs["kind"] == Movement.Kind.RECEIPT and attrs["quantity"] <= 0:
            raise serializers.ValidationError({"quantity": ["A receipt adds at least 1."]}, code=QUANTITY_FOR_KIND)
        if attrs["quantity"] == 0:
            raise serializers.ValidationError({"quantity": ["An adjustment must not be zero."]}, code=QUANTITY_FOR_KIND)
        return attrs


class MovementSerializer(serializers.ModelSerializer):
    branch = serializers.IntegerField(source="branch_id")
    product = serializers.IntegerField(source="product_id")
    user = serializers.IntegerField(source="user_id", allow_null=True)
    transfer = serializers.IntegerField(source="transfer_id", allow_null=True)
    document = serializers.IntegerField(source="document_id", allow_null=True)

    class Meta:
        model = Movement
        fields = ["id", "branch", "product", "kind", "quantity", "balance_after", "reference", "note", "user",
                  "transfer", "document", "created_at"]


class MovementFilterSerializer(QuerySerializer):
    branch = branch_field(required=False)
    product = product_field(required=False)
    kind = serializers.ChoiceField(choices=Movement.Kind.choices, required=False)


class StockSerializer(serializers.ModelSerializer):
    branch = serializers.IntegerField(source="branch_id")
    product = serializers.IntegerField(source="product_id")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="null: never stocked here")

    class Meta:
        model = Stock
        fields = ["branch", "product", "quantity", "min_quantity", "is_low", "updated_at"]


class StockFilterSerializer(QuerySerializer):
    branch = branch_field(required=False)
    product = product_field(required=False)
    low = serializers.BooleanField(required=False, allow_null=True, default=None)


class StockMinSerializer(serializers.Serializer):
    """A PATCH: what is sent changes, an empty body changes nothing."""

    min_quantity = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY, required=False)


class TransferCreateSerializer(LinesMixin, serializers.Serializer):
    from_branch = branch_field()
    to_branch = branch_field()
    lines = lines_field()
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["from_branch"] == attrs["to_branch"]:
            raise serializers.ValidationError({"to_branch": ["Must differ from from_branch."]}, code="same_branch")
        return attrs


class TransferLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")
    quantity = serializers.IntegerField()


class TransferSerializer(serializers.ModelSerializer):
    lines = TransferLineSerializer(many=True)

    class Meta:
        model = Transfer
        fields = ["id", "from_branch", "to_branch", "status", "note", "lines", "created_by", "created_at",
                  "dispatched_at", "received_at", "cancelled_at"]


class TransferFilterSerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=Transfer.Status.choices, required=False)
    branch = branch_field(required=False)


class DocumentMoveCreateSerializer(LinesMixin, serializers.Serializer):
    repeated_products = True  # a sale may list one product twice; the ledger gets a row per line

    kind = serializers.ChoiceField(choices=StockDocument.Kind.choices)
    branch = branch_field()
    reference = serializers.CharField(max_length=64)
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None)
    lines = lines_field()


