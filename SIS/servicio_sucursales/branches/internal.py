"""Internal endpoint for the other services: one branch by id, for their branch checks."""
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication
from sis_common.errors import DomainError

from . import selectors
from .serializers import BranchInternalSerializer


class BranchInternalView(APIView):
    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "branches"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents

    def get(self, request, branch_id: int):
        branch = selectors.branch_get_current(branch_id=branch_id)
        if branch is None:
            raise DomainError(f"Unknown branch {branch_id}.", "not_found", 404)
        return Response(BranchInternalSerializer(branch).data)
