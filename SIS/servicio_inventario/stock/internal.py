"""Internal endpoint for the sales service: move the stock of a whole document, idempotently by key.

The caller (servicio_ventas) has already checked the branch; this endpoint
trusts its internal token and does not ask servicio_sucursales again, so a
sale's retry never depends on a third service.
"""
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication
from sis_common.idempotency.execution import request_key, run_idempotent

from . import services
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

        def handler():
            document, movements = services.document_move_apply(kind=data["kind"], branch_id=data["branch"],
                                                               reference=data["reference"], user_id=data["user"],
                                                               lines=data["lines"])
            return Response(document_public(document, movements), status=status.HTTP_201_CREATED)

        return run_idempotent(key=key, scope=SCOPE, payload=request.data, handler=handler)
