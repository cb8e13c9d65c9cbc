"""Views of the report API: managers see their branches, auditors and admins every branch."""
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sales.permissions import REPORT_READERS, RoleAccess
from sales.services import business_date
from sis_common.auth.permissions import require_branch, visible_branches

from . import selectors
from .serializers import DailyQuerySerializer, DailyReportSerializer, RangeQuerySerializer, RangeReportSerializer


class DailyReportView(APIView):
    """GET ?branch=&date=YYYY-MM-DD (default today); without branch, every branch the caller sees."""

    permission_classes = [RoleAccess]
    read_roles = REPORT_READERS

    @extend_schema(parameters=[DailyQuerySerializer], responses=DailyReportSerializer)
    def get(self, request):
        query = DailyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        branch = query.validated_data.get("branch")
        if branch is not None:
            require_branch(request, branch)
        day = query.validated_data.get("date") or business_date(timezone.now())
        return Response(selectors.daily_report(day=day, branch=branch, branches=visible_branches(request)))


class RangeReportView(APIView):
    """GET ?date_from=&date_to=&group_by=branch|cashier&branch=: totals per branch or per cashier."""

    permission_classes = [RoleAccess]
    read_roles = REPORT_READERS

    @extend_schema(parameters=[RangeQuerySerializer], responses=RangeReportSerializer)
    def get(self, request):
        query = RangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        if params.get("branch") is not None:
            require_branch(request, params["branch"])
        results = selectors.range_report(date_from=params["date_from"], date_to=params["date_to"],
                                         group_by=params["group_by"], branch=params.get("branch"),
                                         branches=visible_branches(request))
        return Response({"date_from": params["date_from"].isoformat(), "date_to": params["date_to"].isoformat(),
                         "group_by": params["group_by"], "results": results})
