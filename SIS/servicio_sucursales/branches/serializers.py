"""Serializers of the branches API."""
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from sis_common.query import QuerySerializer

from .models import Branch


class BranchSerializer(serializers.ModelSerializer):
    code = serializers.RegexField(
        r"^[A-Za-z0-9_-]{1,20}$", max_length=20,
        validators=[UniqueValidator(queryset=Branch.objects.using("default").all(), message="A branch with this code exists.")],
    )

    class Meta:
        model = Branch
        fields = ["id", "code", "name", "address", "city", "phone", "is_active", "receipt_header", "receipt_footer"]
        read_only_fields = ["id"]


class BranchFilterSerializer(QuerySerializer):
    search = serializers.CharField(required=False, max_length=100, allow_blank=True)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)
    city = serializers.CharField(required=False, max_length=80)


class BranchInternalSerializer(serializers.ModelSerializer):
    """What other services need of a branch: its code (sale numbers), whether it is active, what a receipt prints."""

    class Meta:
        model = Branch
        fields = ["id", "code", "name", "is_active", "address", "city", "phone", "receipt_header", "receipt_footer"]
