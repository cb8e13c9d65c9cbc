"""Serializers of the count API: strict input validation (400 with field messages) and public shapes."""
from rest_framework import serializers

from catalog.models import Category
from catalog.selectors import existing_product_ids
from sis_common.bounds import id_field
from sis_common.query import QuerySerializer
from stock.serializers import MAX_LINES, MAX_QUANTITY, branch_field, product_field, unknown_product

from .models import StockCount, StockCountLine
from .services import MAX_COUNT_LINES


class CountCreateSerializer(serializers.Serializer):
    branch = branch_field()
    products = serializers.ListField(child=product_field(), min_length=1, max_length=MAX_COUNT_LINES,
                                     required=False, help_text="These products; or `category`; or, without "
                                     "either, every active product and every product the branch holds.")
    category = id_field(required=False)

    def validate_products(self, products):
        if len(set(products)) != len(products):
            raise serializers.ValidationError("Each product may be listed once.", code="duplicate_product")
        known = existing_product_ids(ids=products)
        errors = {i: [serializers.ErrorDetail(unknown_product(pk), code="unknown_product")]
                  for i, pk in enumerate(products) if pk not in known}
        if errors:
            raise serializers.ValidationError(errors)
        return products

    def validate_category(self, category):
        if not Category.objects.using("default").filter(pk=category).exists():
            raise serializers.ValidationError(f"Unknown category {category}.", code="unknown_category")
        return category

    def validate(self, attrs):
        if "products" in attrs and "category" in attrs:
            raise serializers.ValidationError({"category": ["Give products or category, not both."]},
                                              code="products_or_category")
        return attrs


class CountedLineSerializer(serializers.Serializer):
    product = product_field()
    counted = serializers.IntegerField(min_value=0, max_value=MAX_QUANTITY)


class CountLinesSerializer(serializers.Serializer):
    lines = serializers.ListField(child=CountedLineSerializer(), min_length=1, max_length=MAX_LINES)

    def validate_lines(self, lines):
        products = [line["product"] for line in lines]
        if len(set(products)) != len(products):
            raise serializers.ValidationError("Each product may appear in one line only.", code="duplicate_product")
        return [(line["product"], line["counted"]) for line in lines]


class CountLineSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="product_id")
    expected = serializers.IntegerField(help_text="The stock when the count was opened.")
    counted = serializers.IntegerField(allow_null=True, help_text="The last count entered; null: not counted yet.")
    moved = serializers.IntegerField(
        allow_null=True, read_only=True,
        help_text="The ledger's change between the snapshot and the counting (sales during the count).")
    difference = serializers.IntegerField(
        allow_null=True, read_only=True,
        help_text="What posting changes: counted - (expected + moved); null: not counted, nothing changes.")

    class Meta:
        model = StockCountLine
        fields = ["product", "expected", "counted", "counted_at", "moved", "difference"]


class CountSummarySerializer(serializers.ModelSerializer):
    branch = serializers.IntegerField(source="branch_id")
    category = serializers.IntegerField(source="category_id", allow_null=True)
    reference = serializers.CharField(read_only=True, help_text="On the ledger rows its posting writes.")
    document = serializers.IntegerField(source="document_id", allow_null=True,
                                        help_text="The ledger document of the posted differences (none: no difference).")

    class Meta:
        model = StockCount
        fields = ["id", "branch", "status", "category", "reference", "created_by", "created_at", "posted_at",
                  "cancelled_at", "document"]


class CountListedSerializer(CountSummarySerializer):
    lines_total = serializers.IntegerField()
    lines_counted = serializers.IntegerField()

    class Meta(CountSummarySerializer.Meta):
        fields = [*CountSummarySerializer.Meta.fields, "lines_total", "lines_counted"]


class CountSerializer(CountSummarySerializer):
    lines = CountLineSerializer(many=True)

    class Meta(CountSummarySerializer.Meta):
        fields = [*CountSummarySerializer.Meta.fields, "lines"]


class CountFilterSerializer(QuerySerializer):
    branch = branch_field(required=False)
    status = serializers.ChoiceField(choices=StockCount.Status.choices, required=False)
