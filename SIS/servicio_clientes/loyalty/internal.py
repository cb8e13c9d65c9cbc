"""Internal endpoints for servicio_ventas: the rule, a sale's points earned, a return's reversed, a sale's spent.

Only ventas calls them (sis_common.internal_callers). Every POST takes ventas'
Idempotency-Key and runs once under it (sis_common.idempotency): the same key
answers the first answer, a refusal included, so ventas repeats a call whose
outcome it does not know. Confirm and release are idempotent by the
reservation's state: repeating one answers the same.
"""
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication
from sis_common.bounds import money_text
from sis_common.idempotency.execution import request_key, run_idempotent

from . import rules, services
from .presentation import earning_public, reservation_public, reversal_public
from .serializers import EarningInSerializer, ReleaseInSerializer, ReservationInSerializer, ReversalInSerializer


class LoyaltyInternalView(APIView):
    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "loyalty"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents


class RulesView(LoyaltyInternalView):
    def get(self, request):
        return Response({"earn_per": money_text(rules.earn_per()), "point_value": money_text(rules.point_value())})


def _keyed(request, serializer_class, scope: str, handler) -> Response:
    key = request_key(request, required=True)
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return run_idempotent(key=key, scope=scope, payload=request.data, handler=lambda: handler(key, data.validated_data))


class EarningsView(LoyaltyInternalView):
    def post(self, request):
        def handler(key, data):
            earning, customer = services.earning_create(customer_id=data["customer"], reference=data["reference"],
                                                        amount=data["amount"])
            return Response(earning_public(earning, customer.points), status=status.HTTP_201_CREATED)

        return _keyed(request, EarningInSerializer, "loyalty-earnings", handler)


class ReversalsView(LoyaltyInternalView):
    def post(self, request):
        def handler(key, data):
            reversal, customer = services.reversal_create(sale_reference=data["sale_reference"],
                                                          reference=data["reference"], amount=data["amount"])
            return Response(reversal_public(reversal, customer.points), status=status.HTTP_201_CREATED)

        return _keyed(request, ReversalInSerializer, "loyalty-reversals", handler)


class ReservationsView(LoyaltyInternalView):
    def post(self, request):
        def handler(key, data):
            reservation, customer = services.reservation_hold(key=key, customer_id=data["customer"],
                                                              points=data["points"], reference=data["reference"])
            return Response({**reservation_public(reservation), "balance": customer.points},
                            status=status.HTTP_201_CREATED)

        return _keyed(request, ReservationInSerializer, "loyalty-reservations", handler)


class ReservationConfirmView(LoyaltyInternalView):
    def post(self, request, key: str):
        return Response(reservation_public(services.reservation_confirm(key=key)))


class ReservationReleaseView(LoyaltyInternalView):
    def post(self, request, key: str):
        data = ReleaseInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(reservation_public(services.reservation_release(key=key,
                                                                        reference=data.validated_data["reference"])))
