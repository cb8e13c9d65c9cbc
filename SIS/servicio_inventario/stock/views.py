"""Views of the stock API: thin; permissions, the branch check and idempotency wrap the services."""
import hashlib

from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.selectors import existing_product_ids
from catalog.tables import upload_checked
from catalog.transfer_views import DRY_RUN, UPLOAD, RowErrorSerializer, dry_run_of, upload_of
from sis_common.auth.permissions import ADMIN, MANAGER, WAREHOUSE, ReadAnyWriteRoles, require_branch, \
    visible_branches
from sis_common.sucursales_client import branch_get
from sis_common.errors import DomainError
from sis_common.idempotency.execution import answer_exists, request_key, run_idempotent
from sis_common.keyset import KeysetPagination
from sis_common.openapi import IDEMPOTENCY_KEY, KeysetSchema, errors

from . import documents, imports, selectors, services
from .models import StockDocument
from .serializers import (
    AdjustmentCreateSerializer, AdjustmentSerializer, DocumentFilterSerializer, MovementCreateSerializer,
    MovementFilterSerializer, MovementSerializer, ReceiptCreateSerializer, ReceiptSerializer, StockFilterSerializer,
    StockLevelsSerializer, StockSerializer, TransferCreateSerializer, TransferFilterSerializer, TransferSerializer,
)

STOCK_MOVERS = (ADMIN, MANAGER, WAREHOUSE)


class StockViewSet(viewsets.ViewSet):
    """Base: everyone reads their branches; warehouse, manager and admin move stock."""

    permission_classes = [ReadAnyWriteRoles]
    write_roles = STOCK_MOVERS
    pagination_class = KeysetSchema  # what the schema shows of the lists' KeysetPagination
    lookup_value_converter = "id"

    def listed(self, filters_class, selector, serializer_class, *, newest_first: bool = False) -> Response:
        """A keyset page of what `selector` finds in the caller's branches (403 for a branch outside them)."""
        filters = filters_class(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        branch = filters.validated_data.get("branch")
        if branch is not None:
            require_branch(self.request, branch)
        pages = KeysetPagination(self.request, newest_first=newest_first)
        rows = pages.paginate(selector(visible=visible_branches(self.request), **filters.validated_data))
        return pages.response(serializer_class(rows, many=True).data)


# routed by hand in urls.py: a stock level is addressed by two ids, branch and product
class StockLevelViewSet(StockViewSet):
    """Stock levels per branch and product; a product never stocked at a branch has quantity 0 there."""

    @extend_schema(operation_id="stock_list", parameters=[StockFilterSerializer], responses=StockSerializer(many=True))
    def list(self, request):
        return self.listed(StockFilterSerializer, selectors.stock_list, StockSerializer)

    @extend_schema(operation_id="stock_get", responses=StockSerializer)
    def retrieve(self, request, branch: int, product: int):
        require_branch(request, branch)
        row = selectors.stock_get(branch=branch, product=product)
        if row is not None:
            return Response(StockSerializer(row).data)
        if product not in existing_product_ids(ids=[product]):
            raise DomainError(f"Unknown product {product}.", "not_found", 404)
        # a product never stocked here has no row yet: its stock is simply zero
        return Response({"branch": branch, "product": product, "quantity": 0, "min_quantity": 0, "max_quantity": None,
                         "is_low": True, "updated_at": None})

    @extend_schema(operation_id="stock_min_set", request=StockLevelsSerializer, responses=StockSerializer,
                   description="Sets `min_quantity` and/or `max_quantity` (null: no maximum); a maximum below the "
                               "minimum, as they stand after the change, is 400 `max_below_min`.")
    def partial_update(self, request, branch: int, product: int):
        require_branch(request, branch)
        serializer = StockLevelsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data:
            return self.retrieve(request, branch, product)
        if selectors.stock_get(branch=branch, product=product) is None:
            # a new row: the product and the branch must exist
            if product not in existing_product_ids(ids=[product]):
                raise DomainError(f"Unknown product {product}.", "not_found", 404)
            branch_get(branch)
        row = services.stock_levels_set(branch_id=branch, product_id=product, **serializer.validated_data)
        return Response(StockSerializer(row).data)


class MovementViewSet(StockViewSet):
    @extend_schema(operation_id="movements_list", parameters=[MovementFilterSerializer],
                   responses=MovementSerializer(many=True))
    def list(self, request):
        return self.listed(MovementFilterSerializer, selectors.movement_list, MovementSerializer, newest_first=True)

    @extend_schema(operation_id="movements_create", request=MovementCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: MovementSerializer})
    def create(self, request):
        key = request_key(request)
        serializer = MovementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_branch(request, data["branch"])
        scope = f"movements:{request.user.id}"
        check_branches(key=key, scope=scope, branch=data["branch"])

        def handler():
            movement = services.movement_create(
                branch_id=data["branch"], product_id=data["product"], kind=data["kind"],
                quantity=data["quantity"], note=data["note"], reference=data["reference"], user_id=request.user.id,
            )
            return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)

        return run_idempotent(key=key, scope=scope, payload=request.data, handler=handler)


class TransferViewSet(StockViewSet):
    @extend_schema(operation_id="transfers_list", parameters=[TransferFilterSerializer],
                   responses=TransferSerializer(many=True))
    def list(self, request):
        return self.listed(TransferFilterSerializer, selectors.transfer_list, TransferSerializer, newest_first=True)

    @extend_schema(operation_id="transfers_create", request=TransferCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: TransferSerializer})
    def create(self, request):
        key = request_key(request)
        serializer = TransferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        require_branch(request, data["from_branch"])
        scope = f"transfers:{request.user.id}"
        check_branches(key=key, scope=scope, from_branch=data["from_branch"], to_branch=data["to_branch"])

        def handler():
            transfer = services.transfer_create(from_branch=data["from_branch"], to_branch=data["to_branch"],
                                                lines=data["lines"], note=data["note"], user_id=request.user.id)
            return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

        return run_idempotent(key=key, scope=scope, payload=request.data, handler=handler)

    @extend_schema(operation_id="transfers_get", responses=TransferSerializer)
    def retrieve(self, request, pk: int):
        transfer = _transfer_or_404(pk)
        # either end of the transfer may see it
        if not request.user.may_act_on(transfer.to_branch):
            require_branch(request, transfer.from_branch)
        return Response(TransferSerializer(transfer).data)

    # "dispatch" would shadow APIView.dispatch: the actions' methods carry a prefix, their URLs do not
    @extend_schema(request=None, parameters=[IDEMPOTENCY_KEY], responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def step_dispatch(self, request, pk: int):
        """Send the goods: the source branch's stock goes out."""
        return self._step(request, pk, "dispatch")

    @extend_schema(request=None, parameters=[IDEMPOTENCY_KEY], responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path="receive")
    def step_receive(self, request, pk: int):
        """Take the goods in at the destination branch."""
        return self._step(request, pk, "receive")

    @extend_schema(request=None, parameters=[IDEMPOTENCY_KEY], responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path="cancel")
    def step_cancel(self, request, pk: int):
        """Cancel a transfer not yet received (the source branch)."""
        return self._step(request, pk, "cancel")

    def _step(self, request, pk: int, step: str) -> Response:
        key = request_key(request)
        transfer = _transfer_or_404(pk)
        require_branch(request, transfer.to_branch if step == "receive" else transfer.from_branch)

        def handler():
            if step == "dispatch":
                done = services.transfer_dispatch(transfer_id=pk, user_id=request.user.id)
            elif step == "receive":
                done = services.transfer_receive(transfer_id=pk, user_id=request.user.id)
            else:
                done = services.transfer_cancel(transfer_id=pk)
            return Response(TransferSerializer(selectors.transfer_get(transfer_id=done.pk)).data)

        return run_idempotent(key=key, scope=f"transfer-actions:{request.user.id}",
                              payload={"transfer": pk, "action": step}, handler=handler)


class ReceiptViewSet(StockViewSet):
    """Goods in: documents of many lines, each line a ledger row carrying the receipt's number."""

    @extend_schema(operation_id="receipts_list", parameters=[DocumentFilterSerializer],
                   responses=ReceiptSerializer(many=True))
    def list(self, request):
        return self.listed(DocumentFilterSerializer, _documents_of(StockDocument.Kind.RECEIPT), ReceiptSerializer,
                           newest_first=True)

    @extend_schema(operation_id="receipts_get", responses=ReceiptSerializer)
    def retrieve(self, request, pk: int):
        return Response(ReceiptSerializer(_document_or_404(request, StockDocument.Kind.RECEIPT, pk)).data)

    @extend_schema(operation_id="receipts_create", request=ReceiptCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: ReceiptSerializer, **errors(409)})
    def create(self, request):
        def write(data):
            return documents.receipt_create(
                branch_id=data["branch"], supplier_ref=data["supplier_ref"], note=data["note"], user_id=request.user.id,
                lines=[documents.DocumentLineIn(line["product"], line["quantity"], line["unit_cost"])
                       for line in data["lines"]])

        return _document_create(request, "receipts", ReceiptCreateSerializer, ReceiptSerializer, write)


class AdjustmentViewSet(StockViewSet):
    """Stock found or lost, for a reason: documents of many signed lines."""

    @extend_schema(operation_id="adjustments_list", parameters=[DocumentFilterSerializer],
                   responses=AdjustmentSerializer(many=True))
    def list(self, request):
        return self.listed(DocumentFilterSerializer, _documents_of(StockDocument.Kind.ADJUSTMENT),
                           AdjustmentSerializer, newest_first=True)

    @extend_schema(operation_id="adjustments_get", responses=AdjustmentSerializer)
    def retrieve(self, request, pk: int):
        return Response(AdjustmentSerializer(_document_or_404(request, StockDocument.Kind.ADJUSTMENT, pk)).data)

    @extend_schema(operation_id="adjustments_create", request=AdjustmentCreateSerializer,
                   parameters=[IDEMPOTENCY_KEY],
                   responses={201: AdjustmentSerializer, **errors(409)})
    def create(self, request):
        def write(data):
            return documents.adjustment_create(
                branch_id=data["branch"], reason=data["reason"], note=data["note"], user_id=request.user.id,
                lines=[documents.DocumentLineIn(line["product"], line["quantity"]) for line in data["lines"]])

        return _document_create(request, "adjustments", AdjustmentCreateSerializer, AdjustmentSerializer, write)


def _documents_of(kind: str):
    def selector(**filters):
        return selectors.document_list(kind=kind, **filters)

    return selector


def _document_or_404(request, kind: str, pk: int) -> StockDocument:
    document = selectors.document_get(kind=kind, document_id=pk)
    if document is None:
        raise DomainError("Not found.", "not_found", 404)
    require_branch(request, document.branch_id)
    return document


def _document_create(request, name: str, input_class, output_class, write) -> Response:
    """Validate, check the branch, then write once per key; a refusal (409 insufficient_stock) stores nothing else."""
    key = request_key(request)
    serializer = input_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    require_branch(request, data["branch"])
    scope = f"{name}:{request.user.id}"
    check_branches(key=key, scope=scope, branch=data["branch"])

    def handler():
        document = write(data)
        shown = selectors.document_get(kind=document.kind, document_id=document.pk)
        return Response(output_class(shown).data, status=status.HTTP_201_CREATED)

    return run_idempotent(key=key, scope=scope, payload=request.data, handler=handler)


def check_branches(*, key: str | None, scope: str, **branches: int) -> None:
    """Ask sucursales that each branch (by input field) is known and active, before the idempotent run.

    Before it, because an unknown branch or a dead sucursales must not become the
    key's stored answer; skipped when the key already has one (a replay needs no check).
    """
    if answer_exists(scope=scope, key=key):
        return
    for field, branch_id in branches.items():
        branch_get(branch_id, field=field)


def _transfer_or_404(pk: int):
    transfer = selectors.transfer_get(transfer_id=pk)
    if transfer is None:
        raise DomainError("Not found.", "not_found", 404)
    return transfer


class StockImportReceiptSerializer(drf_serializers.Serializer):
    branch = drf_serializers.IntegerField()
    branch_code = drf_serializers.CharField()
    lines = drf_serializers.IntegerField(help_text="The file's rows for this branch.")
    quantity = drf_serializers.IntegerField(help_text="Units received in all.")
    id = drf_serializers.IntegerField(allow_null=True, help_text="The receipt's id; null on a dry run.")
    number = drf_serializers.CharField(allow_null=True, help_text="The receipt's number (RC-<id>); null on a dry run.")


class StockImportResultSerializer(drf_serializers.Serializer):
    rows = drf_serializers.IntegerField()
    receipts = StockImportReceiptSerializer(many=True)
    errors = RowErrorSerializer(many=True)


class StockImportView(APIView):
    """Opening stock or goods in from a file: one receipt per branch, all rows or none."""

    permission_classes = [ReadAnyWriteRoles]
    write_roles = STOCK_MOVERS
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="stock_import", request=UPLOAD, parameters=[DRY_RUN, IDEMPOTENCY_KEY],
                   responses={200: StockImportResultSerializer, 201: StockImportResultSerializer,
                              **errors(413, 415, s400="The file's faults (code import_invalid, with rows, receipts "
                                                      "and errors [{row, column, message}]); nothing was stored.")})
    def post(self, request):
        """Rows `branch_code, sku, quantity, unit_cost?`; a dry run (200) checks and counts, the import (201) writes."""
        dry_run = dry_run_of(request)
        key = None if dry_run else request_key(request)
        upload = upload_of(request)
        upload_checked(upload)
        scope = f"stock-import:{request.user.id}"
        payload = {"file": _digest(upload)}
        if key is not None and answer_exists(scope=scope, key=key):
            # a replay: the stored answer, without asking sucursales again
            return run_idempotent(key=key, scope=scope, payload=payload, handler=_never)
        plan = imports.stock_import_plan(upload=upload, may_act_on=request.user.may_act_on)
        if dry_run:
            return Response(plan.as_dict())

        def handler():
            receipts = imports.stock_import(plan=plan, user_id=request.user.id,
                                            note=f"Stock import: {upload.name}"[:255])
            return Response(plan.as_dict(receipts), status=status.HTTP_201_CREATED)

        return run_idempotent(key=key, scope=scope, payload=payload, handler=handler)


def _digest(upload) -> str:
    """The file's SHA-256: what an Idempotency-Key is bound to."""
    upload.seek(0)
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def _never():
    raise AssertionError("a key with an answer is replayed, never run again")
