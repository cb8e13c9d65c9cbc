"""Page-number pagination with a bounded page size, answering {results, next, previous}."""
from rest_framework.pagination import PageNumberPagination as _Base
from rest_framework.response import Response


class PageNumberPagination(_Base):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })
