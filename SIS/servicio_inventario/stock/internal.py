"""Internal endpoint of other services: move the stock of a whole document, idempotently by key.

ventas (sales, returns) and compras (receipts of purchase orders) call it
(sis_common.internal_callers), for a user: the user and the branch scope come
from the user's own access token that the caller forwards (sis_common.auth.acting),
and the body's branch must be one the token covers. The branch's existence is not
asked of servicio_sucursales again (the caller has checked it), so a retry never
depends on a third service. A receipt is one receipt document (as
/api/inventory/receipts/ makes, with the moving average cost) under the caller's
reference; its products must exist, inactive ones included: the goods are there. A key that
already has an answer is replayed even when the token no longer passes: the
move it stands for was checked when it was made.
"""
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.acting import acting_user_id
from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication
from sis_common.idempotency.execution import answer_exists, request_key, run_idempotent

from . import documents, services
from .documents import DocumentLineIn
from .models import StockDocument
from .presentation import document_public
from .serializers import DocumentMoveCreateSerializer

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
