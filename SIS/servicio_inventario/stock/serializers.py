"""Serializers of the stock API: strict input validation (400 with field messages) and public shapes."""
from rest_framework import serializers

from sis_common.bounds import money_field, money_text
from sis_common.query import QuerySerializer

from catalog.selectors import existing_product_ids

from .models import DocumentLine, Movement, Stock, StockDocument, Transfer
from .selectors import product_activity

MAX_QUANTITY = 1_000_000_000
MAX_ID = 2**63 - 1
MAX_LINES = 500
MAX_ROWS_PAGE = 1000
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


class DatesMixin:
    """`date_from`/`date_to`: days (in the service's time zone) of `created_at`, both included."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": ["May not be before date_from."]}, code="invalid_date_range")
        return attrs


class MovementFilterSerializer(DatesMixin, QuerySerializer):
    branch = branch_field(required=False)
    product = product_field(required=False)
    kind = serializers.ChoiceField(choices=Movement.Kind.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    reference = serializers.CharField(max_length=64, required=False)


class StockSerializer(serializers.ModelSerializer):
    branch = serializers.IntegerField(source="branch_id")
    product = serializers.IntegerField(source="product_id")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="null: never stocked here")

    class Meta:
        model = Stock
        fields = ["branch", "product", "quantity", "min_quantity", "max_quantity", "is_low", "updated_at"]


class StockFilterSerializer(QuerySerializer):
    branch = branch_field(required=False)
    product = product_field(required=False)
    low = serializers.BooleanField(required=False, allow_null=True, default=None)


class StockRowsQuerySerializer(QuerySerializer):
    """The internal stock rows' query (stock.internal): one branch, a page of at most MAX_ROWS_PAGE rows."""

    branch = branch_field()
    below_min = serializers.BooleanField(required=False, allow_null=True, default=None)
    after = serializers.IntegerField(min_value=0, max_value=MAX_ID, required=False, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_ROWS_PAGE, required=False, default=MAX_ROWS_PAGE)


class StockLevelsSerializer(serializers.Serializer):
    """A PATCH: what is sent changes, an empty body changes nothing; the maximum is checked against the minimum
    as stored (stock.services.stock_levels_set)."""

    min_quantity = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY, required=False)
    max_quantity = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY, required=False, allow_null=True,
                                            help_text="The level a reorder fills up to; null: none (up to the minimum).")


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


class MoveLineSerializer(LineSerializer):
    unit_cost = money_field(required=False, default=None,
                            help_text="Receipts only: what one unit cost; moves the product's average cost.")


class DocumentMoveCreateSerializer(LinesMixin, serializers.Serializer):
    """Another service's stock move: ventas' sales and returns, compras' receipts of purchase orders."""

    repeated_products = True  # a sale may list one product twice; the ledger gets a row per line

    kind = serializers.ChoiceField(choices=[StockDocument.Kind.SALE, StockDocument.Kind.RETURN,
                                            StockDocument.Kind.RECEIPT])
    branch = branch_field()
    reference = serializers.CharField(max_length=64)
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None)
    supplier_ref = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                         help_text="Receipts only: the supplier's delivery note.")
    lines = serializers.ListField(child=MoveLineSerializer(), min_length=1, max_length=MAX_LINES)

    def validate_lines(self, lines):
        costs = [line["unit_cost"] for line in lines]
        return [(product, quantity, cost) for (product, quantity), cost in zip(super().validate_lines(lines), costs)]

    def validate(self, attrs):
        if attrs["kind"] == StockDocument.Kind.RECEIPT:
            products = [product for product, _, _ in attrs["lines"]]
            if len(set(products)) != len(products):
                # one average-cost step per product and receipt
                raise serializers.ValidationError({"lines": ["A receipt lists each product in one line only."]},
                                                  code="duplicate_product")
            return attrs
        if any(cost is not None for _, _, cost in attrs["lines"]):
            raise serializers.ValidationError({"lines": ["unit_cost is for receipts only."]}, code="invalid")
        if attrs["supplier_ref"]:
            raise serializers.ValidationError({"supplier_ref": ["supplier_ref is for receipts only."]}, code="invalid")
        return attrs


def document_lines_check(lines: list[dict]) -> None:
    """Each product once, known and active (one query for all lines); field messages keyed by line index."""
    products = [line["product"] for line in lines]
    if len(set(products)) != len(products):
        raise serializers.ValidationError("Each product may appear in one line only.", code="duplicate_product")
    active = product_activity(ids=products)
    errors = {}
    for i, line in enumerate(lines):
        if line["product"] not in active:
            errors[i] = {"product": [serializers.ErrorDetail(unknown_product(line["product"]), code="unknown_product")]}
        elif not active[line["product"]]:
            errors[i] = {"product": [serializers.ErrorDetail(f"Product {line['product']} is inactive.",
                                                             code="inactive_product")]}
    if errors:
        raise serializers.ValidationError(errors)


class ReceiptLineInSerializer(serializers.Serializer):
    product = product_field()
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_cost = money_field(required=False, default=None,
                            help_text="What one unit cost; moves the product's average cost. Absent: it stays.")


class ReceiptCreateSerializer(serializers.Serializer):
    branch = branch_field()
    supplier_ref = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    lines = serializers.ListField(child=ReceiptLineInSerializer(), min_length=1, max_length=MAX_LINES)

    def validate_lines(self, lines):
        document_lines_check(lines)
        return lines


class AdjustmentLineInSerializer(serializers.Serializer):
    product = product_field()
    quantity = serializers.IntegerField(min_value=-MAX_QUANTITY, max_value=MAX_QUANTITY,
                                        help_text="Signed: found (+) or gone (-); never 0.")

    def validate_quantity(self, value):
        if value == 0:
            raise serializers.ValidationError("An adjustment line must not be zero.", code="zero_quantity")
        return value


class AdjustmentCreateSerializer(serializers.Serializer):
    branch = branch_field()
    reason = serializers.ChoiceField(choices=StockDocument.Reason.choices)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    lines = serializers.ListField(child=AdjustmentLineInSerializer(), min_length=1, max_length=MAX_LINES)

    def validate_lines(self, lines):
        document_lines_check(lines)
        return lines


class ReceiptLineSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id")
    unit_cost = serializers.SerializerMethodField()

    class Meta:
        model = DocumentLine
        fields = ["product", "quantity", "unit_cost"]

    def get_unit_cost(self, line) -> str | None:
        return None if line.unit_cost is None else money_text(line.unit_cost)


class AdjustmentLineSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id")

    class Meta:
        model = DocumentLine
        fields = ["product", "quantity"]


class DocumentSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="reference", help_text="On every ledger row of the document (`reference`).")
    branch = serializers.IntegerField(source="branch_id")
    user = serializers.IntegerField(source="user_id", allow_null=True)


class ReceiptSerializer(DocumentSerializer):
    lines = ReceiptLineSerializer(many=True)

    class Meta:
        model = StockDocument
        fields = ["id", "number", "branch", "supplier_ref", "note", "user", "lines", "created_at"]


class AdjustmentSerializer(DocumentSerializer):
    lines = AdjustmentLineSerializer(many=True)

    class Meta:
        model = StockDocument
        fields = ["id", "number", "branch", "reason", "note", "user", "lines", "created_at"]


class DocumentFilterSerializer(DatesMixin, QuerySerializer):
    branch = branch_field(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
