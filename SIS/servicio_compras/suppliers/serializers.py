"""Serializers of the suppliers API."""
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from sis_common.bounds import id_field, money_field
from sis_common.query import QuerySerializer
from sis_common.tax_ids import RucField

from .models import Supplier, SupplierProduct


class SupplierSerializer(serializers.ModelSerializer):
    code = serializers.RegexField(
        r"^[A-Za-z0-9_-]{1,20}$", max_length=20,
        validators=[UniqueValidator(queryset=Supplier.objects.using("default").all(),
                                    message="A supplier with this code exists.")],
    )
    tax_id = RucField(validators=[UniqueValidator(queryset=Supplier.objects.using("default").all(),
                                                  message="A supplier with this tax id exists.")])
    payment_terms_days = serializers.IntegerField(min_value=0, max_value=365, required=False)

    class Meta:
        model = Supplier
        fields = ["id", "code", "name", "tax_id", "email", "phone", "address", "payment_terms_days", "is_active"]
        read_only_fields = ["id"]


class SupplierFilterSerializer(QuerySerializer):
    search = serializers.CharField(required=False, max_length=100, allow_blank=True)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


class SupplierProductSerializer(serializers.ModelSerializer):
    product = id_field()
    unit_cost = money_field()
    supplier_sku = serializers.CharField(max_length=40, required=False, allow_blank=True)
    pack_size = serializers.IntegerField(min_value=1, max_value=100000, required=False)
    lead_time_days = serializers.IntegerField(min_value=0, max_value=365, required=False)

    class Meta:
        model = SupplierProduct
        fields = ["id", "supplier", "product", "supplier_sku", "unit_cost", "pack_size", "lead_time_days",
                  "is_preferred"]
        read_only_fields = ["id", "supplier"]
