"""Views of the orders API: thin, the work is in services, receiving and selectors."""
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sis_common.auth.acting import raw_token
from sis_common.auth.permissions import require_branch, visible_branches
from sis_common.idempotency.contract import REPLAY_HEADER
from sis_common.idempotency.execution import request_key
from sis_common.openapi import ERROR, IDEMPOTENCY_KEY, errors

from . import receiving, selectors, services
from .models import ReceiptStatus
from .permissions import OrderAccess
from .serializers import (
    OrderFilterSerializer, OrderInSerializer, OrderPatchSerializer, OrderReceivedSerializer,
    OrderReceivePendingSerializer, OrderSerializer, ReceiptInSerializer, ReceiptSerializer,
)

RETRY_AFTER_SECONDS = "2"
_STATUS_409 = "The order's status does not allow it (`order_status_conflict`, with `status`)."


def _lines(data: list[dict], cls):
    return [cls(x["product"], x["quantity"], x["unit_cost"]) for x in data]


@extend_schema_view(list=extend_schema(parameters=[OrderFilterSerializer]))
class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Purchase orders of the caller's branches: buyers (admin, purchaser, manager) write, the warehouse receives."""

    permission_classes = [OrderAccess]
    serializer_class = OrderSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        branches = visible_branches(self.request)
        if self.action != "list":
            return selectors.order_list(branches=branches)
        filters = OrderFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        if filters.validated_data.get("branch") is not None:
            # a branch outside one's scope is refused, as the other lists do, not answered empty
            require_branch(self.request, filters.validated_data["branch"])
        return selectors.order_list(branches=branches, **filters.validated_data)

    def _answer(self, order, code=status.HTTP_200_OK) -> Response:
        return Response(OrderSerializer(selectors.order_fresh(order_id=order.pk)).data, status=code)

    @extend_schema(request=OrderInSerializer, responses={201: OrderSerializer, **errors(503)})
    def create(self, request):
        """A draft order; every product must be one the supplier sells (400 `product_not_supplied`)."""
        data = OrderInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_in = data.validated_data
        require_branch(request, order_in["branch"])
        order = services.order_create(
            supplier_id=order_in["supplier"], branch_id=order_in["branch"], expected_on=order_in["expected_on"],
            note=order_in["note"], lines=_lines(order_in["lines"], services.OrderLineIn), user_id=int(request.user.id))
        return self._answer(order, status.HTTP_201_CREATED)

    @extend_schema(request=OrderPatchSerializer, responses={200: OrderSerializer, **errors(503, _409=_STATUS_409)})
    def partial_update(self, request, pk=None):
        """Only a draft is edited; `lines` replaces them all."""
        current = self.get_object()
        require_branch(request, current.branch_id)
        data = OrderPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patch = dict(data.validated_data)
        if "branch" in patch:
            require_branch(request, patch["branch"])
        if "lines" in patch:
            patch["lines"] = _lines(patch["lines"], services.OrderLineIn)
        fields = {"supplier_id": patch.get("supplier"), "branch_id": patch.get("branch"),
                  "lines": patch.get("lines"), "note": patch.get("note")}
        if "expected_on" in patch:
            fields["expected_on"] = patch["expected_on"]
        return self._answer(services.order_update(order_id=current.pk, **fields))

    @extend_schema(request=None, responses={200: OrderSerializer, **errors(_409=_STATUS_409)})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Draft → confirmed: sent to the supplier, received against from now on."""
        order = self.get_object()
        require_branch(request, order.branch_id)
        return self._answer(services.order_confirm(order_id=order.pk))

    @extend_schema(request=None, responses={200: OrderSerializer, **errors(
        _409=f"{_STATUS_409} Or a receipt of it is pending (`receipt_pending`).")})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel what is not received: `cancelled`, or `received` (closed) when part of it came."""
        order = self.get_object()
        require_branch(request, order.branch_id)
        return self._answer(services.order_cancel(order_id=order.pk))

    @extend_schema(responses={200: ReceiptSerializer(many=True)})
    @action(detail=True, methods=["get"], serializer_class=ReceiptSerializer)
    def receipts(self, request, pk=None):
        """The order's receipts, oldest first: pending, completed and rejected."""
        order = self.get_object()
        page = self.paginate_queryset(selectors.receipt_list(order_id=order.pk))
        return self.get_paginated_response(ReceiptSerializer(page, many=True).data)

    @extend_schema(request=ReceiptInSerializer, parameters=[IDEMPOTENCY_KEY], responses={
        201: OpenApiResponse(OrderReceivedSerializer, description="The goods are in stock; the order as it is now."),
        202: OpenApiResponse(OrderReceivePendingSerializer,
                             description="Inventory has not confirmed yet: the receipt is pending; repeat with the "
                                         "same Idempotency-Key after Retry-After."),
        409: OpenApiResponse(ERROR, description=f"{_STATUS_409} Or inventory refused the receipt "
                                                "(`stock_move_refused`, kept as rejected), or the same key is still "
                                                "being processed."),
        **errors(422)})
    @action(detail=True, methods=["post"], serializer_class=ReceiptInSerializer)
    def receive(self, request, pk=None):
        """Goods delivered against the order: stored pending, then put into stock by inventory exactly once."""
        key = request_key(request)
        data = ReceiptInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = self.get_object()
        require_branch(request, order.branch_id)
        submitted = receiving.receipt_submit(
            user_id=int(request.user.id), key=key, order_id=order.pk, acting_token=raw_token(request),
            delivery_note=data.validated_data["delivery_note"],
            lines=_lines(data.validated_data["lines"], services.ReceiptLineIn))
        return _received(submitted)


def _received(submitted: receiving.Submitted) -> Response:
    """201 completed, 202 still pending (the reconciler finishes it), 409 rejected by inventory."""
    receipt = selectors.receipt_fresh(receipt_id=submitted.receipt.pk)
    if receipt.status == ReceiptStatus.REJECTED:
        response = Response({**receipt.rejection, "receipt": receipt.pk, "status": receipt.status},
                            status=status.HTTP_409_CONFLICT)
    else:
        body = {**OrderSerializer(selectors.order_fresh(order_id=receipt.order_id)).data,
                "receipt": ReceiptSerializer(receipt).data}
        if receipt.status == ReceiptStatus.COMPLETED:
            response = Response(body, status=status.HTTP_201_CREATED)
        else:
            response = Response({**body, "code": "receipt_pending",
                                 "detail": "Inventory has not confirmed the receipt yet; it stays pending and will be "
                                           "completed or rejected shortly. Repeat the request with the same "
                                           "Idempotency-Key to see the outcome."},
                                status=status.HTTP_202_ACCEPTED)
            response["Retry-After"] = RETRY_AFTER_SECONDS
    if submitted.replayed:
        response[REPLAY_HEADER] = "true"
    return response
