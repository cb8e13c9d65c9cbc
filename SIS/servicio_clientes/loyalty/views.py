"""Views of a customer's points and purchase history: thin, selectors and loyalty.history do the work."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from customers.models import Customer
from sis_common.auth.permissions import ADMIN, AUDITOR, CASHIER, MANAGER, RolesOnly
from sis_common.bounds import money_text
from sis_common.keyset import CURSOR_PARAM, SIZE_PARAM, KeysetPagination
from sis_common.openapi import errors
from sis_common.query import once

from . import history, rules, selectors
from .serializers import PointsEntrySerializer

READERS = (ADMIN, MANAGER, CASHIER, AUDITOR)  # who sees customers (company-wide): the till, its managers, audit


class PointsPageSerializer(serializers.Serializer):
    customer = serializers.IntegerField()
    points = serializers.IntegerField()
    point_value = serializers.DecimalField(max_digits=12, decimal_places=2)
    value = serializers.DecimalField(max_digits=20, decimal_places=2)
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = PointsEntrySerializer(many=True)


class HistorySaleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    document_type = serializers.ChoiceField(choices=["receipt", "invoice"])
    document_number = serializers.CharField(allow_null=True)
    branch = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    business_date = serializers.DateField()
    completed_at = serializers.DateTimeField(allow_null=True)


class HistorySerializer(serializers.Serializer):
    customer = serializers.IntegerField()
    points = serializers.IntegerField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    returns_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    sales = HistorySaleSerializer(many=True)


PAGE_PARAMETERS = [
    {"name": CURSOR_PARAM, "in": "query", "required": False, "schema": {"type": "string", "maxLength": 32},
     "description": "Opaque cursor from a page's `next` or `previous` link."},
    {"name": SIZE_PARAM, "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "description": "Rows per page."},
]


class CustomerPointsView(APIView):
    """A customer's points ledger, newest first in keyset pages, with the balance and what it is worth."""

    permission_classes = [RolesOnly]
    allowed_roles = READERS

    @extend_schema(operation_id="customers_points", parameters=PAGE_PARAMETERS,
                   responses={200: PointsPageSerializer, **errors(404)})
    def get(self, request, pk: int):
        customer = get_object_or_404(Customer, pk=pk)
        pages = KeysetPagination(request, newest_first=True)
        rows = pages.paginate(selectors.points_entries(customer_id=customer.pk))
        answer = pages.response(PointsEntrySerializer(rows, many=True).data)
        value = rules.point_value()
        answer.data.update({"customer": customer.pk, "points": customer.points, "point_value": money_text(value),
                            "value": money_text(customer.points * value)})
        return answer


class CustomerHistoryView(APIView):
    """A customer's completed sales at every branch (servicio_ventas), their totals, and the points now."""

    permission_classes = [RolesOnly]
    allowed_roles = READERS

    @extend_schema(operation_id="customers_history", parameters=PAGE_PARAMETERS,
                   responses={200: HistorySerializer, **errors(404, 503)})
    def get(self, request, pk: int):
        customer = get_object_or_404(Customer, pk=pk)
        # ventas' cursors are sis_common.keyset's too: a bad one or a bad size is refused here, before asking
        pages = KeysetPagination(request, newest_first=True)
        page = history.sales_page(customer_id=customer.pk, page_size=pages.size,
                                  cursor=once(request.query_params, CURSOR_PARAM))
        url = request.build_absolute_uri()
        link = (lambda c: None if c is None else replace_query_param(url, CURSOR_PARAM, c))
        return Response({"customer": customer.pk, "points": customer.points, "count": page["count"],
                         "total": page["total"], "returns_total": page["returns_total"],
                         "next": link(page["next_cursor"]), "previous": link(page["previous_cursor"]),
                         "sales": page["results"]})
