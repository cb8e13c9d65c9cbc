"""Views of the suppliers API: thin, the work is in services and selectors."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sis_common.auth.permissions import ADMIN, PURCHASER, ReadAnyWriteRoles
from sis_common.openapi import errors

from . import selectors, services
from .serializers import SupplierFilterSerializer, SupplierProductSerializer, SupplierSerializer


@extend_schema_view(list=extend_schema(parameters=[SupplierFilterSerializer]))
class SupplierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Everyone signed in reads the suppliers (company-wide, no branch); admins and purchasers write."""

    permission_classes = [ReadAnyWriteRoles]
    write_roles = (ADMIN, PURCHASER)
    serializer_class = SupplierSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action != "list":
            return selectors.supplier_list()
        filters = SupplierFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.supplier_list(**filters.validated_data)

    def create(self, request):
        serializer = SupplierSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        supplier = services.supplier_create(**serializer.validated_data)
        return Response(SupplierSerializer(supplier).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        current = self.get_object()
        serializer = SupplierSerializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        supplier = services.supplier_update(supplier_id=current.pk, **serializer.validated_data)
        return Response(SupplierSerializer(supplier).data)

    @extend_schema(methods=["GET"], responses={200: SupplierProductSerializer(many=True)})
    @extend_schema(methods=["POST"], request=SupplierProductSerializer,
                   responses={201: SupplierProductSerializer, **errors(503)})
    @action(detail=True, methods=["get", "post"], url_path="products", serializer_class=SupplierProductSerializer)
    def products(self, request, pk=None):
        """What the supplier sells; a new row names a product inventory knows and sells (400 otherwise)."""
        supplier = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.supplier_product_list(supplier_id=supplier.pk))
            return self.get_paginated_response(SupplierProductSerializer(page, many=True).data)
        serializer = SupplierProductSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.supplier_product_create(supplier_id=supplier.pk, **serializer.validated_data)
        return Response(SupplierProductSerializer(row).data, status=status.HTTP_201_CREATED)
