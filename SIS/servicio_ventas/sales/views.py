"""Views of the sales API: thin; checkout, services and selectors do the work."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sis_common.auth.acting import raw_token
from sis_common.auth.permissions import require_branch, role_of, visible_branches
from sis_common.idempotency.contract import REPLAY_HEADER
from sis_common.idempotency.execution import request_key
from sis_common.keyset import KeysetPagination
from sis_common.openapi import ERROR, IDEMPOTENCY_KEY, KeysetSchema, errors

from . import checkout, pricing, receipts, selectors
from .models import SagaStatus, Sale
from .permissions import RoleAccess
from .presentation import return_public, sale_public
from .serializers import (
    PendingReturnSerializer, PendingSaleSerializer, ReceiptSerializer, ReturnInSerializer, ReturnSerializer,
    SaleFilterSerializer, SaleInSerializer, SaleSerializer,
)

RETRY_AFTER_SECONDS = "2"


def _saga_responses(done, pending, kind: str) -> dict:
    """201 done, 202 pending with Retry-After, 409 refused by inventory (or the key still running)."""
    return {
        201: OpenApiResponse(done, description=f"The {kind} is completed."),
        202: OpenApiResponse(pending, description=f"Inventory has not confirmed yet: the {kind} is pending; repeat "
                                                  f"with the same Idempotency-Key after Retry-After."),
        409: OpenApiResponse(ERROR, description=f"Refused (`insufficient_stock` with its lines, the {kind} kept as "
                                                f"rejected) or the same key still being processed."),
        **errors(422),
    }


def _answer(submitted: checkout.Submitted, body: dict, kind: str) -> Response:
    """201 completed, 202 still pending (the reconciler finishes it), 409 rejected by inventory."""
    saga = submitted.saga
    if saga.status == SagaStatus.COMPLETED:
        response = Response(body, status=status.HTTP_201_CREATED)
    elif saga.status == SagaStatus.PENDING:
        response = Response({
            **body, "code": f"{kind}_pending",
            "detail": f"Inventory has not confirmed the stock move yet; the {kind} stays pending and will be "
                      f"completed or rejected shortly. Repeat the request with the same Idempotency-Key to see "
                      f"the outcome.",
        }, status=status.HTTP_202_ACCEPTED)
        response["Retry-After"] = RETRY_AFTER_SECONDS
    else:
        response = Response({**saga.rejection, kind: saga.pk, "status": saga.status}, status=status.HTTP_409_CONFLICT)
    if submitted.replayed:
        response[REPLAY_HEADER] = "true"
    return response


def _seller(request) -> checkout.Seller:
    claims = request.user.token
    username = str(claims.get("username") or "")
    return checkout.Seller(int(request.user.id), role_of(request), username, str(claims.get("name") or username))


def _discount(data: dict | None) -> pricing.Discount | None:
    return None if not data else pricing.Discount(percent=data.get("percent"), amount=data.get("amount"))


class SaleViewSet(viewsets.GenericViewSet):
    permission_classes = [RoleAccess]
    serializer_class = SaleSerializer
    lookup_value_regex = r"\d+"

    pagination_class = KeysetSchema

    @extend_schema(operation_id="sales_list", parameters=[SaleFilterSerializer], responses=SaleSerializer(many=True))
    def list(self, request):
        """Newest first, in keyset pages: no count of every sale, the same cost on any page."""
        pages = KeysetPagination(request, newest_first=True)
        return pages.response([sale_public(sale) for sale in pages.paginate(self.get_queryset())])

    @extend_schema(operation_id="sales_get", responses=SaleSerializer)
    def retrieve(self, request, pk=None):
        return Response(sale_public(self.get_object()))

    def get_queryset(self):
        if self.action != "list":
            return selectors.sale_list(branches=visible_branches(self.request))
        filters = SaleFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        if filters.validated_data.get("branch") is not None:
            # asking for a branch outside one's scope is refused, as inventory does, not answered empty
            require_branch(self.request, filters.validated_data["branch"])
        return selectors.sale_list(branches=visible_branches(self.request), **filters.validated_data)

    @extend_schema(operation_id="sales_create", request=SaleInSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={**_saga_responses(SaleSerializer, PendingSaleSerializer, "sale"),
                              **errors(_403="A discount above the caller's limit without a manager's approval "
                                            "(`discount_needs_approval`), or an approval refused (`approval_invalid`).",
                                       _429="Too many failed approvals for that manager (`approval_locked`).")})
    def create(self, request):
        key = request_key(request)
        data = SaleInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sale_in = data.validated_data
        require_branch(request, sale_in["branch"])
        submitted = checkout.sale_submit(
            seller=_seller(request), acting_token=raw_token(request), key=key, branch_id=sale_in["branch"],
            lines=[checkout.LineRequest(x["product"], x["quantity"], _discount(x["discount"]))
                   for x in sale_in["lines"]],
            payments=[(x["method"], x["amount"]) for x in sale_in["payments"]],
            discount=_discount(sale_in["discount"]), approval=sale_in["approval"],
            buyer=checkout.Buyer(sale_in["customer"], sale_in["document_type"]),
        )
        body = sale_public(selectors.sale_for_answer(submitted.saga))
        return _answer(submitted, body, "sale")

    @extend_schema(operation_id="sales_receipt", responses={200: ReceiptSerializer, **errors(
        _409="The sale is pending or rejected (`sale_not_completed`): only completed sales have a receipt.")})
    @action(detail=True, methods=["get"], url_path="receipt")
    def receipt(self, request, pk=None):
        """The printable receipt: the company and branch as they are now, the sale as sold."""
        return Response(receipts.receipt_public(self.get_object()))

    @extend_schema(operation_id="sales_return", request=ReturnInSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses=_saga_responses(ReturnSerializer, PendingReturnSerializer, "return"))
    @action(detail=True, methods=["post"], url_path="returns")
    def returns(self, request, pk=None):
        key = request_key(request)
        data = ReturnInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sale = get_object_or_404(Sale.objects.using("default"), pk=pk)
        require_branch(request, sale.branch_id)
        return_in = data.validated_data
        submitted = checkout.return_submit(
            user_id=int(request.user.id), acting_token=raw_token(request), role=role_of(request), key=key, sale=sale,
            lines=[(x["product"], x["quantity"]) for x in return_in["lines"]],
            reason=return_in["reason"], refund_method=return_in["refund_method"], approval=return_in["approval"],
        )
        body = return_public(selectors.return_fresh(return_id=submitted.saga.pk))
        return _answer(submitted, body, "return")
