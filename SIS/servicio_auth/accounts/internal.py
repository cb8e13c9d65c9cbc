"""Internal endpoint for ventas: a manager's approval at a till (username, PIN, branch) checked here."""
from dataclasses import asdict

from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication

from . import pins
from .serializers import ApprovalSerializer, ApproverSerializer


class ApprovalInternalView(APIView):
    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "approvals"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents

    def post(self, request):
        serializer = ApprovalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approver = pins.approval_check(**serializer.validated_data)
        return Response(ApproverSerializer(asdict(approver)).data)
