"""Serializers of the customers API; the document rules are customers.documents'."""
from rest_framework import serializers

from sis_common.query import QuerySerializer

from . import documents
from .models import Customer, DocType

PHONE_PATTERN = r"^[0-9+() -]{1,40}$"
SEARCH_MAX_LENGTH = 40


class CustomerSerializer(serializers.ModelSerializer):
    doc_type = serializers.ChoiceField(choices=DocType.choices, required=False)
    # checked by type in validate(); the longest is 12, spaces around it are trimmed
    doc_number = serializers.CharField(max_length=documents.MAX_LENGTH, required=False, allow_blank=True)
    name = serializers.CharField(max_length=120)
    phone = serializers.RegexField(PHONE_PATTERN, max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)

    class Meta:
        model = Customer
        fields = ["id", "doc_type", "doc_number", "name", "email", "phone", "address", "points", "is_active"]
        read_only_fields = ["id", "points"]

    def validate(self, attrs):
        current = self.instance
        doc_type = attrs.get("doc_type", current.doc_type if current else DocType.NONE)
        if "doc_type" in attrs or "doc_number" in attrs or current is None:
            raw = attrs.get("doc_number", current.doc_number if current and "doc_type" not in attrs else "")
            attrs["doc_type"] = doc_type
            attrs["doc_number"] = documents.document_normalize(doc_type=doc_type, doc_number=raw)
            documents.document_unclaimed(doc_type=doc_type, doc_number=attrs["doc_number"],
                                         customer_id=current.pk if current else None)
        return attrs


class CustomerInternalSerializer(serializers.ModelSerializer):
    """What ventas reads of a sale's buyer (docs/internal-api.md)."""

    class Meta:
        model = Customer
        fields = ["id", "doc_type", "doc_number", "name", "address", "is_active"]


class CustomerExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "doc_type", "doc_number", "name", "email", "phone", "address", "points", "is_active",
                  "anonymized_at", "created_at", "updated_at"]


class CustomerFilterSerializer(QuerySerializer):
    # a prefix of the document number, the name or the phone
    search = serializers.CharField(required=False, max_length=SEARCH_MAX_LENGTH)
    doc_type = serializers.ChoiceField(choices=DocType.choices, required=False)
    # exact, with doc_type (the POS's lookup by document)
    doc_number = serializers.CharField(required=False, max_length=documents.MAX_LENGTH)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if "doc_number" in attrs:
            if "doc_type" not in attrs:
                raise serializers.ValidationError({"doc_type": ["Give the document type with its number."]},
                                                  code="doc_type_required")
            attrs["doc_number"] = attrs["doc_number"].strip().upper()
        return attrs
