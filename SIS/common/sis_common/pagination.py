"""Page-number pagination with a bounded page size, answering {count, next, previous, results}.

Strict, unlike DRF's own: a page or page size that is not a whole number in
range is a 400 (DRF silently falls back to the default size), and a page past
the last is a 404.
"""
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as _Base
from rest_framework.response import Response

from sis_common.query import once

MAX_PAGE = 10**9


def _whole(raw: str, name: str, top: int) -> int:
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10 and 1 <= int(raw) <= top):
        raise ValidationError({name: [f"A whole number from 1 to {top}."]})
    return int(raw)


class PageNumberPagination(_Base):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = once(request.query_params, self.page_size_query_param)
        return self.page_size if raw is None else _whole(raw, self.page_size_query_param, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = once(request.query_params, self.page_query_param)
        return 1 if raw is None else _whole(raw, self.page_query_param, MAX_PAGE)

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["count", "next", "previous", "results"]
        return answer

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.page_query_param: MAX_PAGE, self.page_size_query_param: self.max_page_size}
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": bounds[parameter["name"]]}
        return parameters
