"""Views of the reorder API: purchasers and managers at their branches, admins everywhere, auditors read."""
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.permissions import (ADMIN, AUDITOR, MANAGER, PURCHASER, ReadAnyWriteRoles, RolesOnly,
                                         require_branch)
from sis_common.openapi import errors
from sis_common.sucursales_client import branch_get

from . import selectors
from .serializers import ReorderQuerySerializer, ReorderSerializer


class ReorderView(APIView):
    """GET ?branch=: what to order for the branch, grouped by supplier."""

    permission_classes = [RolesOnly, ReadAnyWriteRoles]
    allowed_roles = (ADMIN, AUDITOR, PURCHASER, MANAGER)
    write_roles = (ADMIN, PURCHASER, MANAGER)

    @extend_schema(operation_id="reorder_list", parameters=[ReorderQuerySerializer],
                   responses={200: ReorderSerializer, **errors(403, 503)})
    def get(self, request):
        query = ReorderQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        branch = query.validated_data["branch"]
        require_branch(request, branch)
        branch_get(branch)
        suggestions, truncated = selectors.reorder_suggestions(branch=branch)
        return Response(ReorderSerializer({"branch": branch, "truncated": truncated,
                                           "groups": selectors.reorder_groups(suggestions)}).data)
