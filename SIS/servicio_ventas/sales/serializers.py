"""Serializers of the sales API: what a sale or return request may hold, and how they are shown."""
from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sis_common.bounds import id_field, money_field, money_text, percent_field
from sis_common.errors import DomainError
from sis_common.query import QuerySerializer

from .models import DocumentType, PaymentMethod, SagaStatus, Sale, SaleReturn
from . import pricing
from .pricing import METHODS

MAX_LINES = 200
MAX_PAYMENTS = 10


def by_method_serializer(name: str) -> type[serializers.Serializer]:
    """A serializer of one amount per payment method (cash sessions, reports), named `name` in the schema."""
    return type(name, (serializers.Serializer,),
                {method: serializers.DecimalField(max_digits=14, decimal_places=2) for method in METHODS})


class DiscountInSerializer(serializers.Serializer):
    """A discount off a line or the sale: `{percent}` (0..100) or `{amount}`, exactly one (sales.pricing)."""

    percent = percent_field(required=False)
    amount = money_field(required=False)

    def validate(self, attrs):
        # a rule across the fields, which the schema does not state: its own code, not `invalid`
        if len(attrs) != 1:
            message = "A discount is either {percent} or {amount}, exactly one of them."
            raise serializers.ValidationError({"non_field_errors": [message]}, code="discount_invalid")
        return attrs


class LineInSerializer(serializers.Serializer):
    product = id_field()
    quantity = serializers.IntegerField(min_value=1, max_value=100_000)
    discount = DiscountInSerializer(required=False, allow_null=True, default=None)


class PaymentInSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount = money_field(positive=True)


def _distinct_products(lines: list[dict]) -> list[dict]:
    # a rule across items, which no schema states: its own code, not `invalid`
    products = [line["product"] for line in lines]
    if len(products) != len(set(products)):
        message = "Each product may appear on one line only."
        raise DomainError(message, "duplicate_product", 400, lines=[message])
    return lines


def _lines(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=LineInSerializer(), min_length=1, max_length=MAX_LINES, **kwargs)


class PinApprovalSerializer(serializers.Serializer):
    """A manager's consent typed at the till: their username and POS PIN (checked by auth, sales.approvals)."""

    username = serializers.CharField(max_length=150)
    pin = serializers.RegexField(r"^[0-9]{4,8}$", max_length=8)


class SaleInSerializer(serializers.Serializer):
    branch = id_field()
    lines = _lines()
    payments = serializers.ListField(child=PaymentInSerializer(), min_length=1, max_length=MAX_PAYMENTS)
    discount = DiscountInSerializer(required=False, allow_null=True, default=None)
    # needed when a discount is above the caller's limit (docs/sales.md, "Discounts")
    approval = PinApprovalSerializer(required=False, allow_null=True, default=None)
    # a customer of servicio_clientes; an invoice needs one with a RUC (docs/customers.md)
    customer = id_field(required=False, allow_null=True, default=None)
    document_type = serializers.ChoiceField(choices=DocumentType.choices, required=False,
                                            default=DocumentType.RECEIPT)

    def validate_lines(self, lines):
        return _distinct_products(lines)


class ApprovalSerializer(serializers.Serializer):
    """A manager's consent to a return the cashier may not make alone: their access token, or username and PIN."""

    token = serializers.CharField(max_length=4096, required=False)
    username = serializers.CharField(max_length=150, required=False)
    pin = serializers.RegexField(r"^[0-9]{4,8}$", max_length=8, required=False)

    def validate(self, attrs):
        # a rule across the fields, which the schema does not state: its own code, not `invalid`
        if attrs.keys() not in ({"token"}, {"username", "pin"}):
            raise serializers.ValidationError({"non_field_errors": ["Either {token} or {username, pin}."]},
                                              code="approval_incomplete")
        return attrs


class ReturnInSerializer(serializers.Serializer):
    lines = _lines()
    reason = serializers.CharField(max_length=255, allow_blank=True, required=False, default="")
    # one of the sale's own methods (sales.refunds); none: cash if the sale took cash, else its first method
    refund_method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False, allow_null=True,
                                            default=None)
    approval = ApprovalSerializer(required=False, allow_null=True, default=None)

    def validate_lines(self, lines):
        return _distinct_products(lines)


class SaleFilterSerializer(QuerySerializer):
    branch = id_field(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=SagaStatus.choices, required=False)


class ReturnLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    net = serializers.DecimalField(max_digits=12, decimal_places=2)
    tax = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)


class ReturnSerializer(serializers.ModelSerializer):
    sale = serializers.IntegerField(source="sale_id")
    branch = serializers.IntegerField(source="branch_id")
    cashier = serializers.IntegerField(source="user_id")
    session = serializers.IntegerField(source="session_id", allow_null=True)
    lines = ReturnLineSerializer(many=True)
    refund = serializers.SerializerMethodField()

    class Meta:
        model = SaleReturn
        fields = ["id", "sale", "branch", "status", "document_number", "referenced_document", "lines", "subtotal",
                  "tax", "refund_amount", "refund_method", "refund", "reason", "cashier", "approved_by", "session",
                  "created_at", "completed_at", "rejection"]

    def get_refund(self, obj) -> dict:
        return {"method": obj.refund_method, "amount": money_text(obj.refund_amount)}


class SaleLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")
    sku = serializers.CharField()
    name = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    quantity = serializers.IntegerField()
    tax_rate = serializers.DecimalField(max_digits=6, decimal_places=4)
    discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    net = serializers.DecimalField(max_digits=12, decimal_places=2)
    tax = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    returned_quantity = serializers.SerializerMethodField()

    def get_returned_quantity(self, line) -> int:
        returned = self.context.get("returned", {}).get(line.sale_id, {})
        return returned.get(line.product_id, 0)


class PaymentSerializer(serializers.Serializer):
    method = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class TaxBandSerializer(serializers.Serializer):
    rate = serializers.DecimalField(max_digits=6, decimal_places=4)
    net = serializers.DecimalField(max_digits=12, decimal_places=2)
    tax = serializers.DecimalField(max_digits=12, decimal_places=2)


class DiscountOutSerializer(serializers.Serializer):
    """The sale's own discount as asked: one of the two."""

    percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)


class SaleSerializer(serializers.ModelSerializer):
    branch = serializers.IntegerField(source="branch_id")
    cashier = serializers.IntegerField(source="user_id")
    session = serializers.IntegerField(source="session_id", allow_null=True)
    customer = serializers.IntegerField(source="customer_id", allow_null=True)
    lines = serializers.SerializerMethodField()
    payments = PaymentSerializer(many=True)
    returns = ReturnSerializer(many=True)
    discount = serializers.SerializerMethodField()
    tax_breakdown = serializers.SerializerMethodField()

    class Meta:
        model = Sale
        fields = ["id", "number", "document_type", "document_number", "customer", "branch", "status", "subtotal",
                  "discount_total", "tax", "total", "paid", "change", "tax_rate", "prices_include_tax", "discount",
                  "tax_breakdown", "lines", "payments", "returns",
                  "cashier", "cashier_username", "cashier_name", "approved_by", "approved_by_username", "session",
                  "business_date", "created_at", "completed_at", "rejection"]

    @extend_schema_field(DiscountOutSerializer(allow_null=True))
    def get_discount(self, sale) -> dict | None:
        return sale.discount

    @extend_schema_field(TaxBandSerializer(many=True))
    def get_tax_breakdown(self, sale) -> list[dict]:
        return TaxBandSerializer(pricing.breakdown(sale.lines.all()), many=True).data

    @extend_schema_field(SaleLineSerializer(many=True))
    def get_lines(self, sale) -> list[dict]:
        # returned quantities come from the prefetched returns: no query per line
        returned: dict[int, int] = {}
        for sale_return in sale.returns.all():
            if sale_return.status == SagaStatus.COMPLETED:
                for line in sale_return.lines.all():
                    returned[line.product_id] = returned.get(line.product_id, 0) + line.quantity
        return SaleLineSerializer(sale.lines.all(), many=True,
                                  context={"returned": {sale.pk: returned}}).data


class PendingSaleSerializer(SaleSerializer):
    """A 202: the sale as stored while inventory has not confirmed, with why and what to do."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["sale_pending"])

    class Meta(SaleSerializer.Meta):
        fields = [*SaleSerializer.Meta.fields, "detail", "code"]


class PendingReturnSerializer(ReturnSerializer):
    """A 202: the return as stored while inventory has not confirmed."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=["return_pending"])

    class Meta(ReturnSerializer.Meta):
        fields = [*ReturnSerializer.Meta.fields, "detail", "code"]


class ReceiptCompanySerializer(serializers.Serializer):
    name = serializers.CharField()
    legal_name = serializers.CharField(allow_blank=True)
    tax_id = serializers.CharField(allow_blank=True)


class ReceiptBranchSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    receipt_header = serializers.CharField(allow_blank=True)
    receipt_footer = serializers.CharField(allow_blank=True)


class ReceiptCustomerSerializer(serializers.Serializer):
    """The buyer as servicio_clientes has it when the receipt is asked for; empty fields when it cannot say."""

    id = serializers.IntegerField()
    doc_type = serializers.CharField(allow_blank=True)
    doc_number = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)


class ReceiptCashierSerializer(serializers.Serializer):
    username = serializers.CharField(allow_blank=True)
    full_name = serializers.CharField(allow_blank=True)


class ReceiptLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    discount = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)


class ReceiptSerializer(serializers.Serializer):
    """GET /api/sales/{id}/receipt/ (sales.receipts builds it; this is its schema)."""

    company = ReceiptCompanySerializer()
    branch = ReceiptBranchSerializer()
    customer = ReceiptCustomerSerializer(allow_null=True)
    cashier = ReceiptCashierSerializer()
    number = serializers.CharField()
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    document_number = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    prices_include_tax = serializers.BooleanField()
    currency = serializers.CharField(allow_blank=True)
    lines = ReceiptLineSerializer(many=True)
    tax_breakdown = TaxBandSerializer(many=True)
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    discount_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    tax = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    payments = PaymentSerializer(many=True)
    change = serializers.DecimalField(max_digits=12, decimal_places=2)
