"""Views of the reorder API: purchasers and managers at their branches, admins everywhere, auditors read."""
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.selectors import order_fresh
from orders.serializers import OrderSerializer
from sis_common.auth.permissions import (ADMIN, AUDITOR, MANAGER, PURCHASER, ReadAnyWriteRoles, RolesOnly,
                                         require_branch)
from sis_common.idempotency.execution import answer_exists, request_key, run_idempotent
from sis_common.openapi import IDEMPOTENCY_KEY, errors
from sis_common.sucursales_client import branch_get

from . import selectors, services
from .serializers import ReorderOrdersInSerializer, ReorderOrdersSerializer, ReorderQuerySerializer, ReorderSerializer


class ReorderView(APIView):
    """GET ?branch=: what to order for the branch, grouped by supplier; POST: a selection of it as draft orders."""

    permission_classes = [RolesOnly, ReadAnyWriteRoles]
    allowed_roles = (ADMIN, AUDITOR, PURCHASER, MANAGER)
    write_roles = (ADMIN, PURCHASER, MANAGER)

    @extend_schema(operation_id="reorder_list", parameters=[ReorderQuerySerializer],
                   responses={200: ReorderSerializer, **errors(403, 503)})
    def get(self, request):
        query = ReorderQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        branch = query.validated_data["branch"]
        require_branch(request, branch)
        branch_get(branch)
        suggestions, truncated = selectors.reorder_suggestions(branch=branch)
        return Response(ReorderSerializer({"branch": branch, "truncated": truncated,
                                           "groups": selectors.reorder_groups(suggestions)}).data)

    @extend_schema(operation_id="reorder_order", request=ReorderOrdersInSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: ReorderOrdersSerializer, **errors(403, 409, 422, 503)})
    def post(self, request):
        key = request_key(request)
        body = ReorderOrdersInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        branch = body.validated_data["branch"]
        require_branch(request, branch)
        scope = f"reorder:{request.user.id}"
        # before the keyed run: an unknown branch or a dead sucursales must not become the key's answer
        if not answer_exists(scope=scope, key=key):
            branch_get(branch)
        lines = [services.ReorderLine(x["product"], x["quantity"], x["supplier"]) for x in body.validated_data["lines"]]

        def handler():
            orders = services.reorder_orders_create(branch_id=branch, lines=lines, user_id=request.user.id)
            fresh = [order_fresh(order_id=order.pk) for order in orders]
            return Response({"orders": OrderSerializer(fresh, many=True).data}, status=status.HTTP_201_CREATED)

        return run_idempotent(key=key, scope=scope, payload=request.data, handler=handler)
