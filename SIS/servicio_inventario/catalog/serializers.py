"""Serializers of the catalogue API: input validation and the public shapes."""
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from sis_common.bounds import money_field, rate_field
from sis_common.query import QuerySerializer

from .models import BARCODE_PATTERN, SKU_MESSAGE, SKU_PATTERN, Category, Product

class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=120, validators=[
        UniqueValidator(queryset=Category.objects.using("default").all(), message="A category with this name exists."),
    ])

    class Meta:
        model = Category
        fields = ["id", "name"]


class ProductSerializer(serializers.ModelSerializer):
    sku = serializers.RegexField(SKU_PATTERN, max_length=64, validators=[
        UniqueValidator(queryset=Product.objects.using("default").all(), message="A product with this SKU exists."),
    ], error_messages={"invalid": SKU_MESSAGE})
    barcode = serializers.RegexField(BARCODE_PATTERN, max_length=64, required=False, allow_null=True,
                                     allow_blank=True, validators=[
        UniqueValidator(queryset=Product.objects.using("default").all(), message="A product with this barcode exists."),
    ])
    name = serializers.CharField(max_length=200)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.using("default").all(), required=False,
                                                  allow_null=True)
    price = money_field()
    # shown to admin, manager and warehouse only (catalog.visibility)
    cost = money_field(required=False)
    tax_rate = rate_field(required=False, help_text="Fraction, 0.1800 = 18 %, 0 = exempt; when a new product "
                                                    "omits it, the company's default_tax_rate.")

    class Meta:
        model = Product
        fields = ["id", "sku", "barcode", "name", "category", "price", "cost", "tax_rate", "is_active"]


class ProductFilterSerializer(QuerySerializer):
    search = serializers.CharField(required=False, max_length=100, allow_blank=True)
    category = serializers.IntegerField(required=False, min_value=1)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


