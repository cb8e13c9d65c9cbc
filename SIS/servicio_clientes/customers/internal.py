"""Internal endpoint for ventas: one customer by id, read on the primary, for a sale's buyer and its document."""
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication
from sis_common.errors import DomainError

from . import selectors
from .serializers import CustomerInternalSerializer


class CustomerInternalView(APIView):
    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "customers"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents

    def get(self, request, customer_id: int):
        customer = selectors.customer_get_current(customer_id=customer_id)
        if customer is None:
            raise DomainError(f"Unknown customer {customer_id}.", "not_found", 404)
        return Response(CustomerInternalSerializer(customer).data)
