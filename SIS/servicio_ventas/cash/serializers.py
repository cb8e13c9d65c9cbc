"""Serializers of the cash-session API."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sis_common.bounds import id_field, money_field
from sis_common.query import QuerySerializer

from .models import CashSession


class SessionOpenSerializer(serializers.Serializer):
    branch = id_field()
    opening_float = money_field()


class SessionCloseSerializer(serializers.Serializer):
    counted_cash = money_field()
    counted_card = money_field(required=False, allow_null=True, default=None)
    counted_transfer = money_field(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class SessionFilterSerializer(QuerySerializer):
    branch = id_field(required=False)
    status = serializers.ChoiceField(choices=CashSession.Status.choices, required=False)
    cashier = id_field(required=False)


class SessionCurrentSerializer(QuerySerializer):
    branch = id_field(required=False)


def _by_method(cash, card, transfer) -> dict | None:
    if cash is None:
        return None
    return {"cash": f"{cash:.2f}", "card": f"{card:.2f}", "transfer": f"{transfer:.2f}"}


class ByMethodSerializer(serializers.Serializer):
    cash = serializers.DecimalField(max_digits=14, decimal_places=2)
    card = serializers.DecimalField(max_digits=14, decimal_places=2)
    transfer = serializers.DecimalField(max_digits=14, decimal_places=2)


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
            return _by_method(obj.expected_cash, obj.expected_card, obj.expected_transfer)
        live = self.context.get("expected", {}).get(obj.pk)
        return _by_method(live["cash"], live["card"], live["transfer"]) if live else None

    @extend_schema_field(ByMethodSerializer(allow_null=True))
    def get_counted(self, obj) -> dict | None:
        return _by_method(obj.counted_cash, obj.counted_card, obj.counted_transfer)

    @extend_schema_field(DifferenceSerializer(allow_null=True))
    def get_difference(self, obj) -> dict | None:
        """Counted minus expected: negative is missing money, positive is a surplus."""
        if obj.status != CashSession.Status.CLOSED:
            return None
        diff = {
            "cash": obj.counted_cash - obj.expected_cash,
            "card": obj.counted_card - obj.expected_card,
            "transfer": obj.counted_transfer - obj.expected_transfer,
        }
        return {**_by_method(diff["cash"], diff["card"], diff["transfer"]), "total": f"{sum(diff.values()):.2f}"}
