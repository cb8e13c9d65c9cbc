"""A customer's purchase history: their completed sales at every branch, as servicio_ventas has them.

Read through ventas' `GET /internal/sales/?customer=` (docs/internal-api.md), one page at
a time with ventas' own opaque cursor, which this answer passes on in its `next`.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from sis_common.clients import OutcomeUnknown, ServiceClient, ServiceUnavailable

SERVICE = "ventas"
READ_TIMEOUT = 3.0
SALES_PATH = "/internal/sales/"


def sales_page(*, customer_id: int, page_size: int, cursor: str | None) -> dict:
    """ventas' page `{count, total, returns_total, results, next_cursor, previous_cursor}`; 503 when unreachable.

    The cursor is checked by the caller (sis_common.keyset), so any refusal here is ventas' fault: a 503.
    """
    query = {"customer": customer_id, "page_size": page_size, **({"cursor": cursor} if cursor else {})}
    client = ServiceClient(SERVICE, read_timeout=READ_TIMEOUT)
    try:
        answer = client.get(f"{SALES_PATH}?{urlencode(query)}")
    except OutcomeUnknown as exc:
        raise ServiceUnavailable(SERVICE, exc.reason) from exc
    data = answer.data if isinstance(answer.data, dict) else {}
    if answer.status != 200 or not {"results", "count", "total", "returns_total"} <= data.keys():
        raise ServiceUnavailable(SERVICE, f"sales answered HTTP {answer.status}")
    return {"count": data["count"], "total": data["total"], "returns_total": data["returns_total"],
            "results": data["results"], "next_cursor": _cursor(data.get("next")),
            "previous_cursor": _cursor(data.get("previous"))}


def _cursor(link: str | None) -> str | None:
    if not link:
        return None
    return (parse_qs(urlsplit(link).query).get("cursor") or [None])[0]
