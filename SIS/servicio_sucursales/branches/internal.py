"""Internal endpoints for the other services: one branch by id (their branch checks) or by code (their imports)."""
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication
from sis_common.errors import DomainError

from . import selectors
from .serializers import BranchInternalSerializer

CODE_MAX = 20  # Branch.code's length


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


class BranchByCodeInternalView(APIView):
    """`?code=SUC01`: the branch of that code (the column's collation: case does not matter), or 404."""

    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "branches"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents

    def get(self, request):
        code = request.query_params.get("code", "")
        if not code or len(code) > CODE_MAX:
            raise DomainError("Name one branch code (1-20 characters) as ?code=.", "invalid", 400)
        branch = selectors.branch_get_by_code(code=code)
        if branch is None:
            raise DomainError(f"Unknown branch code {code!r}.", "not_found", 404)
        return Response(BranchInternalSerializer(branch).data)
