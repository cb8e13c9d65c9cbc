"""Views of the report API: managers see their branches, auditors and admins every branch; each a file too."""
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sales.permissions import REPORT_READERS, RoleAccess
from sales.services import business_date
from sis_common.auth.permissions import require_branch, visible_branches
from sis_common.exports import ExportNegotiation, export_response, export_responses
from sis_common.openapi import errors

from . import exports, products, selectors
from .serializers import (DailyQuerySerializer, DailyReportSerializer, ProductQuerySerializer,
                          ProductReportSerializer, RangeQuerySerializer, RangeReportSerializer)


class _ReportView(APIView):
    permission_classes = [RoleAccess]
    read_roles = REPORT_READERS
    content_negotiation_class = ExportNegotiation  # ?format= is the report's (sis_common.exports)

    def query(self, serializer_class) -> dict:
        query = serializer_class(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if query.validated_data.get("branch") is not None:
            require_branch(self.request, query.validated_data["branch"])
        return query.validated_data


class DailyReportView(_ReportView):
    """GET ?branch=&date=YYYY-MM-DD (default today)&format=; without branch, every branch the caller sees."""

    @extend_schema(parameters=[DailyQuerySerializer], responses={**export_responses(DailyReportSerializer),
                                                                 **errors(400, 403)})
    def get(self, request):
        params = self.query(DailyQuerySerializer)
        day = params.get("date") or business_date(timezone.now())
        report = selectors.daily_report(day=day, branch=params.get("branch"), branches=visible_branches(request))
        if params["format"] == "json":
            return Response(report)
        columns, rows = exports.daily_table(report)
        return export_response(name=f"daily-{day.isoformat()}", fmt=params["format"], columns=columns, rows=rows)


class RangeReportView(_ReportView):
    """GET ?date_from=&date_to=&group_by=branch|cashier&branch=&format=: totals per branch or per cashier."""

    @extend_schema(parameters=[RangeQuerySerializer], responses={**export_responses(RangeReportSerializer),
                                                                 **errors(400, 403)})
    def get(self, request):
        params = self.query(RangeQuerySerializer)
        results = selectors.range_report(date_from=params["date_from"], date_to=params["date_to"],
                                         group_by=params["group_by"], branch=params.get("branch"),
                                         branches=visible_branches(request))
        if params["format"] == "json":
            return Response({"date_from": params["date_from"].isoformat(), "date_to": params["date_to"].isoformat(),
                             "group_by": params["group_by"], "results": results})
        columns, rows = exports.range_table(group_by=params["group_by"], results=results)
        name = f"range-{params['group_by']}-{params['date_from'].isoformat()}-{params['date_to'].isoformat()}"
        return export_response(name=name, fmt=params["format"], columns=columns, rows=rows)


class ProductReportView(_ReportView):
    """GET ?date_from=&date_to=&branch=&category=&format=: per product, sold less returned, with cost and margin."""

    @extend_schema(parameters=[ProductQuerySerializer], responses={**export_responses(ProductReportSerializer),
                                                                   **errors(400, 403)})
    def get(self, request):
        params = self.query(ProductQuerySerializer)
        rows = products.product_report(date_from=params["date_from"], date_to=params["date_to"],
                                       branch=params.get("branch"), branches=visible_branches(request),
                                       category=params.get("category"))
        if params["format"] == "json":
            return Response({"date_from": params["date_from"].isoformat(), "date_to": params["date_to"].isoformat(),
                             "branch": params.get("branch"), "category": params.get("category"),
                             "results": list(rows)})
        columns, rows = exports.product_table(rows)
        name = f"products-{params['date_from'].isoformat()}-{params['date_to'].isoformat()}"
        return export_response(name=name, fmt=params["format"], columns=columns, rows=rows)
