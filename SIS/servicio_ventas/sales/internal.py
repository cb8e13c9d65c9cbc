"""Internal endpoint for servicio_clientes: a customer's completed sales across branches (its history)."""
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication
from sis_common.bounds import id_field, money_text
from sis_common.keyset import KeysetPagination
from sis_common.query import QuerySerializer

from . import selectors


class CustomerSalesQuerySerializer(QuerySerializer):
    customer = id_field()


class CustomerSalesInternalView(APIView):
    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "sales"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents

    def get(self, request):
        query = CustomerSalesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        customer = query.validated_data["customer"]
        pages = KeysetPagination(request, newest_first=True)
        rows = pages.paginate(selectors.customer_sales(customer_id=customer))
        sums = selectors.customer_totals(customer_id=customer)
        answer = pages.response([_sale(row) for row in rows])
        answer.data.update({"customer": customer, "count": sums["count"], "total": money_text(sums["total"]),
                            "returns_total": money_text(sums["returns_total"])})
        return answer


def _sale(row: dict) -> dict:
    return {"id": row["id"], "number": row["number"], "document_type": row["document_type"],
            "document_number": row["document_number"], "branch": row["branch_id"], "total": money_text(row["total"]),
            "business_date": row["business_date"].isoformat(),
            "completed_at": serializers.DateTimeField().to_representation(row["completed_at"])}
