"""Serializers of the cash-session API."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sis_common.bounds import id_field, money_field, money_text
from sis_common.query import QuerySerializer

from sales.models import PaymentMethod
from sales.pricing import METHODS
from sales.serializers import by_method_serializer

from .models import CashSession


class SessionOpenSerializer(serializers.Serializer):
    branch = id_field()
    opening_float = money_field()


class SessionCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def get_fields(self):
        # counted_<method> for every method: cash always counted, another's count defaults to what is expected
        counted = {f"counted_{m}": money_field() if m == PaymentMethod.CASH
                   else money_field(required=False, allow_null=True, default=None) for m in METHODS}
        return {**counted, **super().get_fields()}


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


class SessionSerializer(serializers.ModelSerializer):
    """A session; `expected` is live while open and frozen at close, with counted and difference."""

    branch = serializers.IntegerField(source="branch_id")
    cashier = serializers.IntegerField(source="user_id")
    expected = serializers.SerializerMethodField()
    counted = serializers.SerializerMethodField()
    difference = serializers.SerializerMethodField()

    class Meta:
        model = CashSession
        fields = ["id", "branch", "cashier", "status", "opening_float", "opened_at", "closed_at", "closed_by",
                  "expected", "counted", "difference", "note"]

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
