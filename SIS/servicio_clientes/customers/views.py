"""Views of the customers API: thin, the work is in services and selectors."""
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sis_common.auth.permissions import ADMIN, AUDITOR, CASHIER, MANAGER, AdminOnly, ReadAnyWriteRoles, RolesOnly
from sis_common.idempotency.execution import request_key, run_idempotent
from sis_common.openapi import IDEMPOTENCY_KEY, errors

from . import selectors, services
from .serializers import CustomerExportSerializer, CustomerFilterSerializer, CustomerSerializer

EXPORT_SCHEMA = inline_serializer("CustomerData", {"customer": CustomerExportSerializer()})


@extend_schema_view(list=extend_schema(parameters=[CustomerFilterSerializer]))
class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Customers are company-wide (no branch): tills create and edit them, auditors read, admins handle
    personal-data requests; the other roles have no business with them."""

    permission_classes = [RolesOnly, ReadAnyWriteRoles]
    allowed_roles = (ADMIN, MANAGER, CASHIER, AUDITOR)
    write_roles = (ADMIN, MANAGER, CASHIER)
    serializer_class = CustomerSerializer
    lookup_value_converter = "id"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in ("export", "anonymize"):
            return [AdminOnly()]
        return super().get_permissions()

    def get_queryset(self):
        if self.action != "list":
            return selectors.customer_list()
        filters = CustomerFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.customer_list(**filters.validated_data)

    def create(self, request):
        serializer = CustomerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = services.customer_create(**serializer.validated_data)
        return Response(CustomerSerializer(customer).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CustomerSerializer, **errors(409)})
    def partial_update(self, request, pk=None):
        current = self.get_object()
        serializer = CustomerSerializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        customer = services.customer_update(customer_id=current.pk, **serializer.validated_data)
        return Response(CustomerSerializer(customer).data)

    @extend_schema(responses={200: EXPORT_SCHEMA})
    @action(detail=True, methods=["get"], url_path="export")
    def export(self, request, pk=None):
        """Everything held on the customer (a request to see one's personal data). Admins only."""
        return Response(selectors.customer_export(customer=self.get_object()))

    @extend_schema(request=None, parameters=[IDEMPOTENCY_KEY], responses={200: CustomerSerializer})
    @action(detail=True, methods=["post"], url_path="anonymize")
    def anonymize(self, request, pk=None):
        """Forget who the customer is (a request to erase one's personal data); sales keep the id. Admins only."""
        key = request_key(request)
        customer = self.get_object()

        def handler():
            return Response(CustomerSerializer(services.customer_anonymize(customer_id=customer.pk)).data)

        return run_idempotent(key=key, scope="customer-anonymize", payload={"customer": customer.pk},
                              handler=handler)
