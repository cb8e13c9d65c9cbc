"""The valuation report: managers see their branches, auditors and admins every branch; CSV and XLSX too."""
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.permissions import ADMIN, AUDITOR, MANAGER, RolesOnly, require_branch, visible_branches
from sis_common.exports import ExportNegotiation, columns_of, export_response, export_responses
from sis_common.openapi import errors

from . import selectors
from .serializers import ValuationQuerySerializer, ValuationSerializer


class ValuationReportView(APIView):
    """GET ?branch=&format=: each product's stock at its cost, and the total."""

    permission_classes = [RolesOnly]
    allowed_roles = (ADMIN, AUDITOR, MANAGER)
    content_negotiation_class = ExportNegotiation  # ?format= is the report's (sis_common.exports)

    @extend_schema(parameters=[ValuationQuerySerializer], responses={**export_responses(ValuationSerializer),
                                                                     **errors(400, 403)})
    def get(self, request):
        query = ValuationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        branch, fmt = query.validated_data.get("branch"), query.validated_data["format"]
        if branch is not None:
            require_branch(request, branch)
        scope = {"branch": branch, "branches": visible_branches(request)}
        if fmt == "json":
            return Response({"lines": list(selectors.valuation_lines(**scope)),
                             "total": selectors.valuation_total(**scope)})
        columns = columns_of(dict.fromkeys(selectors.COLUMNS), money=("unit_cost", "value"),
                             ints=("product", "quantity"))
        name = "valuation" if branch is None else f"valuation-branch-{branch}"
        return export_response(name=name, fmt=fmt, columns=columns, rows=selectors.valuation_lines(**scope))
