"""Views of the count API: thin; permissions, the branch check and idempotency wrap the services."""
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from sis_common.auth.permissions import require_branch
from sis_common.errors import DomainError
from sis_common.idempotency.execution import request_key, run_idempotent
from sis_common.openapi import IDEMPOTENCY_KEY, errors
from stock.views import StockViewSet, check_branches

from . import selectors, services
from .serializers import (
    CountCreateSerializer, CountFilterSerializer, CountLinesSerializer, CountListedSerializer, CountSerializer,
)


class CountViewSet(StockViewSet):
    """Stock counts: everyone reads their branches; warehouse, manager and admin count and post."""

    @extend_schema(operation_id="counts_list", parameters=[CountFilterSerializer],
                   responses=CountListedSerializer(many=True))
    def list(self, request):
        return self.listed(CountFilterSerializer, selectors.count_list, CountListedSerializer, newest_first=True)

    @extend_schema(operation_id="counts_get", responses=CountSerializer)
    def retrieve(self, request, pk: int):
        return Response(CountSerializer(_count_or_404(request, pk)).data)

    @extend_schema(operation_id="counts_create", request=CountCreateSerializer,
                   responses={201: CountSerializer, **errors(409)})
    def create(self, request):
        serializer = CountCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_branch(request, data["branch"])
        check_branches(key=None, scope="", branch=data["branch"])
        count = services.count_create(branch_id=data["branch"], user_id=request.user.id,
                                      product_ids=data.get("products"), category_id=data.get("category"))
        return Response(CountSerializer(selectors.count_get(count_id=count.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="counts_lines", request=CountLinesSerializer, responses={200: CountSerializer,
                                                                                        **errors(409)})
    @action(detail=True, methods=["post"], url_path="lines")
    def step_lines(self, request, pk: int):
        """Enter counted quantities; a product counted again keeps the last value."""
        _count_or_404(request, pk)
        serializer = CountLinesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.count_lines_set(count_id=pk, lines=serializer.validated_data["lines"])
        return Response(CountSerializer(selectors.count_get(count_id=pk)).data)

    @extend_schema(operation_id="counts_post", request=None, parameters=[IDEMPOTENCY_KEY],
                   responses={200: CountSerializer, **errors(409)})
    @action(detail=True, methods=["post"], url_path="post")
    def step_post(self, request, pk: int):
        """Post the differences to the ledger (kind `count`) and close the count."""
        key = request_key(request)
        _count_or_404(request, pk)

        def handler():
            services.count_post(count_id=pk, user_id=request.user.id)
            return Response(CountSerializer(selectors.count_get(count_id=pk)).data)

        return run_idempotent(key=key, scope=f"count-actions:{request.user.id}",
                              payload={"count": pk, "action": "post"}, handler=handler)

    @extend_schema(operation_id="counts_cancel", request=None, responses={200: CountSerializer, **errors(409)})
    @action(detail=True, methods=["post"], url_path="cancel")
    def step_cancel(self, request, pk: int):
        """Drop an open count; nothing moves."""
        _count_or_404(request, pk)
        services.count_cancel(count_id=pk)
        return Response(CountSerializer(selectors.count_get(count_id=pk)).data)


def _count_or_404(request, pk: int):
    count = selectors.count_get(count_id=pk)
    if count is None:
        raise DomainError("Not found.", "not_found", 404)
    require_branch(request, count.branch_id)
    return count
