"""Internal endpoint for the other services: the company settings, for their pricing, limits and receipts."""
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication

from . import selectors
from .serializers import CompanySerializer


class CompanyInternalView(APIView):
    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "company"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents

    def get(self, request):
        return Response(CompanySerializer(selectors.company_get()).data)
