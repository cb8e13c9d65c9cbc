"""Serializers of the cash-session API."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sis_common.bounds import id_field, money_field, money_text
from sis_common.errors import DomainError
from sis_common.query import QuerySerializer

from sales.models import PaymentMethod
from sales.pricing import METHODS
from sales.serializers import PinApprovalSerializer, by_method_serializer

from .models import CashMovement, CashSession

MAX_DENOMINATIONS = 50
MAX_DENOMINATION_COUNT = 1_000_000


class SessionOpenSerializer(serializers.Serializer):
    branch = id_field()
    opening_float = money_field()


def _counts(prefix: str) -> dict:
    """`<prefix><method>` for every method, each optional: cash is counted, another's defaults to what is expected."""
    return {f"{prefix}{m}": money_field(required=False, allow_null=True, default=None) for m in METHODS}


class CountedSerializer(serializers.Serializer):
    """What was counted per method; card and transfer default to what is expected (the terminal's, the bank's)."""

    def get_fields(self):
        return _counts("")


class DenominationSerializer(serializers.Serializer):
    value = money_field(positive=True)
    count = serializers.IntegerField(min_value=0, max_value=MAX_DENOMINATION_COUNT)


class SessionCloseSerializer(serializers.Serializer):
    """`{counted: {cash, card?, transfer?}, denominations?, note?}`; the flat `counted_<method>` form is still taken.

    With denominations, cash counted is Σ value × count (`counted.cash` may be
    left out; given, it must agree: cash.services).
    """

    counted = CountedSerializer(required=False)
    denominations = serializers.ListField(child=DenominationSerializer(), required=False, min_length=1,
                                          max_length=MAX_DENOMINATIONS)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def get_fields(self):
        return {**super().get_fields(), **_counts("counted_")}

    def validate(self, attrs):
        # rules the schema cannot state: their own codes, not `invalid`
        values = [d["value"] for d in attrs.get("denominations") or []]
        if len(set(values)) != len(values):
            message = "Give each denomination once."
            raise DomainError(message, "denomination_repeated", 400, fields={"denominations": [message]})
        flat = {m: attrs.pop(f"counted_{m}") for m in METHODS}
        nested = attrs.pop("counted", None)
        if nested is not None and any(v is not None for v in flat.values()):
            message = "Give `counted` or the `counted_<method>` fields, not both."
            raise DomainError(message, "counted_twice", 400, fields={"counted": [message]})
        counted = nested if nested is not None else flat
        return {**{f"counted_{m}": counted.get(m) for m in METHODS},
                "denominations": attrs.get("denominations"), "note": attrs["note"]}


class MovementCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CashMovement.Kind.choices)
    amount = money_field(positive=True)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    approval = PinApprovalSerializer(required=False, help_text="A manager's, for a cashier's out above the "
                                                               "company's cash_out_limit.")


class MovementSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session_id")
    user = serializers.IntegerField(source="user_id")

    class Meta:
        model = CashMovement
        fields = ["id", "session", "kind", "amount", "reason", "user", "approved_by", "created_at"]


class SessionFilterSerializer(QuerySerializer):
    branch = id_field(required=False)
    status = serializers.ChoiceField(choices=CashSession.Status.choices, required=False)
    cashier = id_field(required=False)


class SessionCurrentSerializer(QuerySerializer):
    branch = id_field(required=False)


def _by_method(amounts: dict | None) -> dict | None:
    if amounts is None or amounts[PaymentMethod.CASH] is None:
        return None
    return {m: money_text(amounts[m]) for m in METHODS}


def _columns(session: CashSession, prefix: str) -> dict:
    """The session's amounts per method from its columns `<prefix>_<method>`."""
    return {m: getattr(session, f"{prefix}_{m}") for m in METHODS}


ByMethodSerializer = by_method_serializer("ByMethodSerializer")


class DifferenceSerializer(ByMethodSerializer):
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class DenominationOutSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    count = serializers.IntegerField()


class SessionSerializer(serializers.ModelSerializer):
    """A session; `expected` is live while open (null for its cashier: the close is blind), frozen at close.

    The context's `expected` maps the ids of open sessions shown with a live
    expected to it; an open session not in it shows null.
    """

    branch = serializers.IntegerField(source="branch_id")
    cashier = serializers.IntegerField(source="user_id")
    expected = serializers.SerializerMethodField()
    counted = serializers.SerializerMethodField()
    difference = serializers.SerializerMethodField()
    denominations = DenominationOutSerializer(many=True, allow_null=True, read_only=True)

    class Meta:
        model = CashSession
        fields = ["id", "branch", "cashier", "status", "opening_float", "opened_at", "closed_at", "closed_by",
                  "expected", "counted", "difference", "denominations", "note"]

    @extend_schema_field(ByMethodSerializer(allow_null=True))
    def get_expected(self, obj) -> dict | None:
        if obj.status == CashSession.Status.CLOSED:
            return _by_method(_columns(obj, "expected"))
        return _by_method(self.context.get("expected", {}).get(obj.pk))

    @extend_schema_field(ByMethodSerializer(allow_null=True))
    def get_counted(self, obj) -> dict | None:
        return _by_method(_columns(obj, "counted"))

    @extend_schema_field(DifferenceSerializer(allow_null=True))
    def get_difference(self, obj) -> dict | None:
        """Counted minus expected: negative is missing money, positive is a surplus."""
        if obj.status != CashSession.Status.CLOSED:
            return None
        counted, expected = _columns(obj, "counted"), _columns(obj, "expected")
        diff = {m: counted[m] - expected[m] for m in METHODS}
        return {**_by_method(diff), "total": money_text(sum(diff.values()))}


class _CountAmountSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


_CountsByMethodSerializer = type("ZReportByMethodSerializer", (serializers.Serializer,),
                                 {m: _CountAmountSerializer() for m in METHODS})


class _ZSalesSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)
    tax = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    discount_total = serializers.DecimalField(max_digits=14, decimal_places=2,
                                              help_text="the sales' discounts, already out of total")
    change = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="given back in cash")
    by_method = _CountsByMethodSerializer(help_text="sales paid (in part) that way and the amount; cash net of change")


class _ZReturnsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    by_method = _CountsByMethodSerializer(help_text="refunds by method")


class _KindTotalSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class _ZMovementsSerializer(serializers.Serializer):
    lines = MovementSerializer(many=True)

    def get_fields(self):
        return {**{kind: _KindTotalSerializer() for kind in CashMovement.Kind.values}, **super().get_fields()}


class ZReportSerializer(serializers.Serializer):
    """The shape of the Z report, for the OpenAPI schema (cash.zreport builds the data)."""

    session = serializers.IntegerField()
    branch = serializers.IntegerField()
    cashier = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CashSession.Status.choices)
    opened_at = serializers.DateTimeField()
    opened_by = serializers.IntegerField()
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_by = serializers.IntegerField(allow_null=True)
    opening_float = serializers.DecimalField(max_digits=14, decimal_places=2)
    sales = _ZSalesSerializer()
    returns = _ZReturnsSerializer()
    movements = _ZMovementsSerializer()
    expected = ByMethodSerializer(allow_null=True)
    counted = ByMethodSerializer(allow_null=True)
    difference = DifferenceSerializer(allow_null=True)
    denominations = DenominationOutSerializer(many=True, allow_null=True)
    note = serializers.CharField(allow_blank=True)
