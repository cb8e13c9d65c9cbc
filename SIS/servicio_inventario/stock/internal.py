"""Internal endpoints of stock: other services' document moves (ventas, compras) and a branch's stock rows (compras).

stock-moves: only ventas and compras call it (sis_common.internal_callers), for a user: the user and
the branch scope come from the user's own access token that the caller forwards
(sis_common.auth.acting), and the body's branch must be one the token covers.
The branch's existence is not asked of servicio_sucursales again (the caller has
checked it), so a retry never depends on a third service. A key that
already has an answer is replayed even when the token no longer passes: the
move it stands for was checked when it was made. A compras receipt is one
receipt document (as /api/inventory/receipts/ makes, with the moving average
cost) under the caller's reference; its products must exist, inactive ones
included: the goods have arrived.

stock rows: compras' reorder list reads them, after checking the user's branch scope itself;
a read for the calling service, so no acting user.
"""
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.acting import acting_user_id
from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication
from sis_common.idempotency.execution import answer_exists, request_key, run_idempotent

from . import documents, selectors, services
from .documents import DocumentLineIn
from .models import StockDocument
from .presentation import document_public
from .serializers import DocumentMoveCreateSerializer, StockRowsQuerySerializer

SCOPE = "internal-stock-moves"


class StockMoveInternalView(APIView):
    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "stock-moves"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents

    def post(self, request):
        key = request_key(request, required=True)
        serializer = DocumentMoveCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user_id = acting_user_id(request, endpoint=self.internal_endpoint, branch=data["branch"],
                                     user=data["user"])
        except APIException:
            # a key already answered is replayed (its handler never runs again), whatever the token now
            if not answer_exists(scope=SCOPE, key=key):
                raise
            user_id = None

        def handler():
            if data["kind"] == StockDocument.Kind.RECEIPT:
                document, movements = documents.receipt_apply(
                    branch_id=data["branch"], reference=data["reference"], user_id=user_id,
                    supplier_ref=data["supplier_ref"],
                    lines=[DocumentLineIn(product, quantity, cost) for product, quantity, cost in data["lines"]])
            else:
                document, movements = services.document_move_apply(
                    kind=data["kind"], branch_id=data["branch"], reference=data["reference"], user_id=user_id,
                    lines=[(product, quantity) for product, quantity, _ in data["lines"]])
            return Response(document_public(document, movements), status=status.HTTP_201_CREATED)

        return run_idempotent(key=key, scope=SCOPE, payload=request.data, handler=handler)


class StockRowsInternalView(APIView):
    """GET ?branch=&below_min=&after=&limit=: a page of a branch's stock rows in row order, `next` the `after` of
    the page that follows (null on the last)."""

    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "stock"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents

    def get(self, request):
        query = StockRowsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit = query.validated_data["limit"]
        rows = selectors.stock_rows_page(branch=query.validated_data["branch"],
                                         below_min=bool(query.validated_data["below_min"]),
                                         after=query.validated_data["after"], limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return Response({"results": [_row(row) for row in rows], "next": rows[-1]["id"] if more else None})


def _row(row: dict) -> dict:
    return {"product": row["product_id"], "sku": row["product__sku"], "name": row["product__name"],
            "is_active": bool(row["product__is_active"]), "quantity": row["quantity"],
            "min_quantity": row["min_quantity"], "max_quantity": row["max_quantity"]}
