"""Internal endpoint for the sales service: products by id, with their current price, tax rate, cost and category."""
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from sis_common.auth.internal import InternalCaller, InternalCallerAuthentication
from sis_common.bounds import money_text, rate_text

from . import selectors

MAX_IDS = 500


class ProductInternalListView(APIView):
    authentication_classes = [InternalCallerAuthentication]
    permission_classes = [InternalCaller]
    internal_endpoint = "products"  # sis_common.internal_callers
    schema = None  # internal: not part of the public API documents

    def get(self, request):
        ids = _ids(request.query_params.get("ids", ""))
        # plain rows: every sale asks, and a ModelSerializer cost more than the query
        return Response({"results": [_priced(row) for row in selectors.products_by_ids(ids=ids)]})


def _priced(row: dict) -> dict:
    return {**row, "price": money_text(row["price"]), "tax_rate": rate_text(row["tax_rate"]),
            "cost": money_text(row["cost"]),
            "is_active": bool(row["is_active"])}


def _ids(raw: str) -> list[int]:
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts or len(parts) > MAX_IDS or not all(p.isdigit() and len(p) <= 18 for p in parts):
        raise ValidationError({"ids": [f"1 to {MAX_IDS} comma-separated product ids."]})
    return sorted({int(p) for p in parts})
