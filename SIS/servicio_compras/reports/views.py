"""Views of the purchasing reports: purchasers and managers see their branches, auditors and admins every branch;
each answers JSON or, with `?format=csv|xlsx`, a file."""
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.permissions import ADMIN, AUDITOR, MANAGER, PURCHASER, RolesOnly, require_branch, \
    visible_branches
from sis_common.exports import ExportNegotiation, export_response, export_responses
from sis_common.openapi import errors

from . import exports, selectors
from .serializers import (LeadTimeQuerySerializer, LeadTimeReportSerializer, OpenOrdersQuerySerializer,
                          OpenOrdersReportSerializer, ReceivedQuerySerializer, ReceivedReportSerializer)


class _ReportView(APIView):
    permission_classes = [RolesOnly]
    allowed_roles = (ADMIN, AUDITOR, PURCHASER, MANAGER)
    content_negotiation_class = ExportNegotiation  # ?format= is the report's (sis_common.exports)

    def query(self, serializer_class) -> dict:
        query = serializer_class(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if query.validated_data.get("branch") is not None:
            require_branch(self.request, query.validated_data["branch"])
        return query.validated_data

    def scope(self, params: dict) -> dict:
        return {"branches": visible_branches(self.request), "branch": params.get("branch"),
                "supplier": params.get("supplier")}


def _dates(params: dict) -> str:
    return f"{params['date_from'].isoformat()}-{params['date_to'].isoformat()}"


class OpenOrdersReportView(_ReportView):
    """GET ?branch=&supplier=&format=: confirmed and partially received orders per supplier and branch."""

    @extend_schema(operation_id="report_open_orders", parameters=[OpenOrdersQuerySerializer],
                   responses={**export_responses(OpenOrdersReportSerializer), **errors(400, 403)})
    def get(self, request):
        params = self.query(OpenOrdersQuerySerializer)
        rows = selectors.open_orders(**self.scope(params))
        if params["format"] == "json":
            return Response({"branch": params.get("branch"), "supplier": params.get("supplier"), "results": rows})
        return export_response(name="open-orders", fmt=params["format"], columns=exports.OPEN_ORDERS, rows=rows)


class ReceivedReportView(_ReportView):
    """GET ?date_from=&date_to=&group_by=day|branch|supplier&branch=&supplier=&format=: value received."""

    @extend_schema(operation_id="report_received", parameters=[ReceivedQuerySerializer],
                   responses={**export_responses(ReceivedReportSerializer), **errors(400, 403)})
    def get(self, request):
        params = self.query(ReceivedQuerySerializer)
        report = selectors.received_value(date_from=params["date_from"], date_to=params["date_to"],
                                          group_by=params["group_by"], **self.scope(params))
        if params["format"] == "json":
            return Response({"date_from": params["date_from"].isoformat(), "date_to": params["date_to"].isoformat(),
                             "group_by": params["group_by"], "branch": params.get("branch"),
                             "supplier": params.get("supplier"), **report})
        return export_response(name=f"received-{params['group_by']}-{_dates(params)}", fmt=params["format"],
                               columns=exports.RECEIVED[params["group_by"]], rows=report["results"])


class LeadTimeReportView(_ReportView):
    """GET ?date_from=&date_to=&branch=&supplier=&format=: per supplier, orders confirmed in the days received
    within their lead time."""

    @extend_schema(operation_id="report_lead_time", parameters=[LeadTimeQuerySerializer],
                   responses={**export_responses(LeadTimeReportSerializer), **errors(400, 403)})
    def get(self, request):
        params = self.query(LeadTimeQuerySerializer)
        rows = selectors.lead_time(date_from=params["date_from"], date_to=params["date_to"], **self.scope(params))
        if params["format"] == "json":
            return Response({"date_from": params["date_from"].isoformat(), "date_to": params["date_to"].isoformat(),
                             "branch": params.get("branch"), "supplier": params.get("supplier"), "results": rows})
        return export_response(name=f"lead-time-{_dates(params)}", fmt=params["format"], columns=exports.LEAD_TIME,
                               rows=rows)
