"""Views of the catalogue API: thin, the work is in services and selectors."""
from functools import partial

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from sis_common.auth.permissions import ADMIN, ReadAnyWriteRoles
from sis_common.keyset import KeysetPagination
from sis_common.openapi import KeysetSchema

from . import listing, selectors, services
from .visibility import shown
from .serializers import CategorySerializer, ProductFilterSerializer, ProductSerializer

CATALOGUE_WRITERS = (ADMIN,)


class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ReadAnyWriteRoles]
    write_roles = CATALOGUE_WRITERS
    serializer_class = CategorySerializer
    lookup_value_converter = "id"

    def get_queryset(self):
        return selectors.category_list()

    @extend_schema(operation_id="categories_create", request=CategorySerializer, responses={201: CategorySerializer})
    def create(self, request):
        serializer = CategorySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = services.category_create(**serializer.validated_data)
        return Response(CategorySerializer(category).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: int):
        current = self.get_object()
        serializer = CategorySerializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        category = services.category_update(category_id=current.pk, name=serializer.validated_data.get("name", current.name))
        return Response(CategorySerializer(category).data)


class ProductViewSet(viewsets.GenericViewSet):
    permission_classes = [ReadAnyWriteRoles]
    write_roles = CATALOGUE_WRITERS
    serializer_class = ProductSerializer
    lookup_value_converter = "id"
    pagination_class = KeysetSchema  # what the schema shows of the KeysetPagination the list uses

    def get_queryset(self):
        return selectors.product_list()

    @extend_schema(operation_id="products_list", parameters=[ProductFilterSerializer],
                   responses=ProductSerializer(many=True))
    def list(self, request):
        """Products in keyset pages (constant cost on a million rows); search by name, SKU or barcode."""
        options = {}
        if listing.has_filters(request.query_params):
            filters = ProductFilterSerializer(data=request.query_params)
            filters.is_valid(raise_exception=True)
            options = filters.validated_data
        pages = KeysetPagination(request)
        any_of = selectors.product_search(options.pop("search", None))
        if any_of:
            rows = pages.paginate(listing.as_rows(selectors.product_list(**options)), any_of=any_of)
        else:
            rows = pages.paginate_with(partial(selectors.product_window, **options))
        return pages.response([shown(listing.public(row), request) for row in rows])

    def retrieve(self, request, pk: int):
        return Response(shown(ProductSerializer(self.get_object()).data, request))

    @extend_schema(operation_id="products_create", request=ProductSerializer, responses={201: ProductSerializer})
    def create(self, request):
        """A new product; its SKU and barcode are unique in the catalogue."""
        serializer = ProductSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = services.product_create(**serializer.validated_data)
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: int):
        current = self.get_object()
        serializer = ProductSerializer(current, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        product = services.product_update(product_id=current.pk, **serializer.validated_data)
        return Response(ProductSerializer(product).data)
