"""Views of the catalogue's file import and export: thin, the work is in catalog.imports and catalog.exports."""
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.permissions import ReadAnyWriteRoles
from sis_common.errors import DomainError
from sis_common.exports import CSV_TYPE, XLSX_TYPE
from sis_common.openapi import errors
from sis_common.query import QuerySerializer

from . import exports, imports
from .tables import MAX_UPLOAD_BYTES
from .visibility import cost_visible
from .views import CATALOGUE_WRITERS

UPLOAD = {"multipart/form-data": {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary",
             "description": f"CSV (UTF-8, comma or semicolon) or XLSX, at most {MAX_UPLOAD_BYTES} bytes; "
                            "the first row names the columns."}}}}
DRY_RUN = OpenApiParameter("dry_run", OpenApiTypes.BOOL, required=False,
                           description="Validate and count only; nothing is stored.")


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's number in the file; the header is row 1.")
    column = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)


class DryRunSerializer(QuerySerializer):
    dry_run = serializers.BooleanField(required=False, allow_null=True, default=None)


def dry_run_of(request) -> bool:
    query = DryRunSerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return bool(query.validated_data["dry_run"])


# the multipart envelope around the file: boundaries and the part's headers
ENVELOPE_BYTES = 64 * 1024


def upload_of(request):
    """The multipart field `file`; 413 from the declared length before the body is read."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_UPLOAD_BYTES + ENVELOPE_BYTES:
        raise DomainError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", "file_too_large", 413)
    try:
        upload = request.FILES.get("file")
        if upload is None and "file" in request.POST:
            # a part without a filename reaches Django as a form field: its text is the file all the same
            upload = SimpleUploadedFile("file", request.POST["file"].encode())
        return upload
    except APIException:  # DRF's own: 415 for another media type, 400 parse_error for a malformed body
        raise
    except Exception as exc:  # what Django's multipart parser raises past DRF (too many parts, a bad header)
        raise DomainError(f"Not a readable multipart upload: {exc}", "parse_error", 400) from None


IMPORT_RESPONSES = errors(413, 415, s400="The file's faults (code import_invalid, with created, updated, unchanged "
                                          "and errors [{row, column, message}]); nothing was stored.")


class ProductImportView(APIView):
    permission_classes = [ReadAnyWriteRoles]
    write_roles = CATALOGUE_WRITERS
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="products_import", request=UPLOAD, parameters=[DRY_RUN],
                   responses={200: ImportResultSerializer, **IMPORT_RESPONSES})
    def post(self, request):
        """Create or update products from a file (matched by SKU); all rows or none."""
        dry_run = dry_run_of(request)
        result = imports.product_import(upload=upload_of(request), dry_run=dry_run)
        return Response(result.as_dict())


class ExportQuerySerializer(QuerySerializer):
    format = serializers.ChoiceField(choices=["csv", "xlsx"], required=False, default="csv")


class ProductExportView(APIView):
    permission_classes = [ReadAnyWriteRoles]

    def perform_content_negotiation(self, request, force=False):
        # ?format= names the file's format here, not one of DRF's renderers; errors still answer JSON
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(operation_id="products_export", parameters=[ExportQuerySerializer],
                   responses={(200, CSV_TYPE.split(";")[0]): OpenApiTypes.BINARY,
                              (200, XLSX_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        """Every product in the import's columns (cost only for the roles that see it), streamed."""
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return exports.product_export(fmt=query.validated_data["format"], with_cost=cost_visible(request))
