"""Views of the stock API: thin; permissions, the branch check and idempotency wrap the services."""
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.pagination import KeysetPagination
from catalog.selectors import existing_product_ids
from sis_common.auth.permissions import ADMIN, MANAGER, WAREHOUSE, ReadAnyWriteRoles, require_branch, \
    visible_branches
from sis_common.branches import branch_get
from sis_common.errors import DomainError
from sis_common.idempotency.execution import request_key, run_idempotent

from . import selectors, services
from .serializers import (
    MovementCreateSerializer, MovementFilterSerializer, MovementSerializer, StockFilterSerializer,
    StockMinSerializer, StockSerializer, TransferCreateSerializer, TransferFilterSerializer, TransferSerializer,
)

STOCK_MOVERS = (ADMIN, MANAGER, WAREHOUSE)


class StockView(APIView):
    """Base: everyone reads their branches; warehouse, manager and admin move stock."""

    permission_classes = [ReadAnyWriteRoles]
    write_roles = STOCK_MOVERS

    def scope(self, branch: int | None):
        """The branches to list: 403 when the asked branch is outside the caller's."""
        if branch is not None:
            require_branch(self.request, branch)
        return visible_branches(self.request)


class StockListView(StockView):
    def get(self, request):
        filters = StockFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        visible = self.scope(filters.validated_data.get("branch"))
        pages = KeysetPagination(request)
        rows = pages.paginate(selectors.stock_list(visible=visible, **filters.validated_data))
        return pages.response(StockSerializer(rows, many=True).data)


class StockDetailView(StockView):
    def get(self, request, branch: int, product: int):
        require_branch(request, branch)
        row = selectors.stock_get(branch=branch, product=product)
        if row is None:
            raise DomainError("No stock row for this branch and product.", "not_found", 404)
        return Response(StockSerializer(row).data)

    def patch(self, request, branch: int, product: int):
        require_branch(request, branch)
        serializer = StockMinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if selectors.stock_get(branch=branch, product=product) is None:
            # a new row: the branch and product must exist
            branch_get(branch)
            if product not in existing_product_ids(ids=[product]):
                raise DomainError(f"Unknown product {product}.", "not_found", 404)
        row = services.stock_min_set(branch_id=branch, product_id=product, **serializer.validated_data)
        return Response(StockSerializer(row).data)


class MovementListCreateView(StockView):
    def get(self, request):
        filters = MovementFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        visible = self.scope(filters.validated_data.get("branch"))
        pages = KeysetPagination(request, newest_first=True)
        rows = pages.paginate(selectors.movement_list(visible=visible, **filters.validated_data))
        return pages.response(MovementSerializer(rows, many=True).data)

    def post(self, request):
        key = request_key(request, required=False)
        serializer = MovementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_branch(request, data["branch"])
        # before the idempotent run: an unknown branch or a dead sucursales is not a stored answer
        branch_get(data["branch"])

        def handler():
            movement = services.movement_create(
                branch_id=data["branch"], product_id=data["product"], kind=data["kind"],
                quantity=data["quantity"], note=data["note"], reference=data["reference"], user_id=request.user.id,
            )
            return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)

        return run_idempotent(key=key, scope=f"movements:{request.user.id}", payload=request.data, handler=handler)


class TransferListCreateView(StockView):
    def get(self, request):
        filters = TransferFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        visible = self.scope(filters.validated_data.get("branch"))
        pages = KeysetPagination(request, newest_first=True)
        rows = pages.paginate(selectors.transfer_list(visible=visible, **filters.validated_data))
        return pages.response(TransferSerializer(rows, many=True).data)

    def post(self, request):
        key = request_key(request, required=False)
        serializer = TransferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_branch(request, data["from_branch"])
        branch_get(data["from_branch"], field="from_branch")
        branch_get(data["to_branch"], field="to_branch")

        def handler():
            transfer = services.transfer_create(from_branch=data["from_branch"], to_branch=data["to_branch"],
                                                lines=data["lines"], note=data["note"], user_id=request.user.id)
            return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

        return run_idempotent(key=key, scope=f"transfers:{request.user.id}", payload=request.data, handler=handler)


class TransferDetailView(StockView):
    def get(self, request, pk: int):
        transfer = _transfer_or_404(pk)
        # either end of the transfer may see it
        if not request.user.may_act_on(transfer.to_branch):
            require_branch(request, transfer.from_branch)
        return Response(TransferSerializer(transfer).data)


class TransferActionView(StockView):
    """dispatch (source branch), receive (destination branch), cancel (source branch)."""

    action = ""

    def post(self, request, pk: int):
        key = request_key(request, required=False)
        transfer = _transfer_or_404(pk)
        require_branch(request, transfer.to_branch if self.action == "receive" else transfer.from_branch)

        def handler():
            if self.action == "dispatch":
                done = services.transfer_dispatch(transfer_id=pk, user_id=request.user.id)
            elif self.action == "receive":
                done = services.transfer_receive(transfer_id=pk, user_id=request.user.id)
            else:
                done = services.transfer_cancel(transfer_id=pk)
            return Response(TransferSerializer(selectors.transfer_get(transfer_id=done.pk)).data)

        return run_idempotent(key=key, scope=f"transfer-actions:{request.user.id}",
                              payload={"transfer": pk, "action": self.action}, handler=handler)


def _transfer_or_404(pk: int):
    transfer = selectors.transfer_get(transfer_id=pk)
    if transfer is None:
        raise DomainError("Not found.", "not_found", 404)
    return transfer
