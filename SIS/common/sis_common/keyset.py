"""Keyset (cursor) pagination by id: every page costs the same however deep, unlike OFFSET.

The answer keeps the list shape {results, next, previous}; the opaque cursor
holds the id to continue after (or before). A list may be the union of
several conditions (a search over name, SKU and barcode): each is paged on
its own index and the ids are merged, so no OR spans two indexes.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from sis_common.query import once

CURSOR_PARAM = "cursor"
SIZE_PARAM = "page_size"
DEFAULT_SIZE = 50
MAX_SIZE = 200


class KeysetPagination:
    """One page of a queryset ordered by id (ascending, or descending with `newest_first`).

    The queryset may yield model instances or values() dicts that include "id".
    """

    def __init__(self, request, *, newest_first: bool = False):
        self.request = request
        self.newest_first = newest_first
        self.size = _page_size(once(request.query_params, SIZE_PARAM))
        self.direction, self.anchor = _decode(once(request.query_params, CURSOR_PARAM))
        self.next_anchor = self.previous_anchor = None

    def paginate(self, queryset: QuerySet, *, any_of: list | None = None) -> list:
        """The page's rows; with `any_of`, rows matching any of the conditions (Q, or an object that windows
        its own index: `window_ids(queryset, anchor=, ascending=, limit=)`)."""
        backwards = self.direction == "b"
        if any_of:
            rows = self._union_page(queryset, any_of, backwards)
        else:
            rows = list(self._window(queryset, backwards)[: self.size + 1])
        return self._finish(rows, backwards)

    def paginate_with(self, fetch: Callable[..., list]) -> list:
        """The page's rows from `fetch(anchor=, ascending=, limit=)`: rows past the anchor, nearest first."""
        backwards = self.direction == "b"
        return self._finish(fetch(anchor=self.anchor, ascending=self._ascending(backwards), limit=self.size + 1),
                            backwards)

    def _finish(self, rows: list, backwards: bool) -> list:
        more = len(rows) > self.size
        rows = rows[: self.size]
        if backwards:
            rows.reverse()
        if rows and backwards:
            # coming back, the page we came from is always next
            self.next_anchor = ("a", _pk(rows[-1]))
            self.previous_anchor = ("b", _pk(rows[0])) if more else None
        elif rows:
            self.next_anchor = ("a", _pk(rows[-1])) if more else None
            self.previous_anchor = ("b", _pk(rows[0])) if self.anchor is not None else None
        return rows

    def response(self, data) -> Response:
        return Response({"next": self._link(self.next_anchor), "previous": self._link(self.previous_anchor),
                         "results": data})

    def _ascending(self, backwards: bool) -> bool:
        return self.newest_first == backwards

    def _window(self, queryset: QuerySet, backwards: bool) -> QuerySet:
        """Rows past the anchor in the direction of travel, nearest first."""
        ascending = self._ascending(backwards)
        if self.anchor is not None:
            queryset = queryset.filter(pk__gt=self.anchor) if ascending else queryset.filter(pk__lt=self.anchor)
        return queryset.order_by("pk" if ascending else "-pk")

    def _union_page(self, queryset: QuerySet, any_of: list, backwards: bool) -> list:
        ids: set[int] = set()
        for condition in any_of:
            if isinstance(condition, Q):
                window = self._window(queryset.filter(condition), backwards)
                ids.update(window.values_list("pk", flat=True)[: self.size + 1])
            else:  # an alternative that reads its own index (inventory: catalog.search.NameWords)
                ids.update(condition.window_ids(queryset, anchor=self.anchor, ascending=self._ascending(backwards),
                                                limit=self.size + 1))
        nearest = sorted(ids, reverse=not self._ascending(backwards))[: self.size + 1]
        by_id = {_pk(row): row for row in queryset.filter(pk__in=nearest)}
        return [by_id[i] for i in nearest if i in by_id]

    def _link(self, anchor) -> str | None:
        if anchor is None:
            return None
        url = self.request.build_absolute_uri()
        raw = f"{anchor[0]}{anchor[1]}".encode()
        return replace_query_param(url, CURSOR_PARAM, base64.urlsafe_b64encode(raw).decode().rstrip("="))


def _pk(row) -> int:
    # model instances, or values() dicts (which always hold the id)
    return row["id"] if isinstance(row, dict) else row.pk


def _page_size(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_SIZE
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4 and 1 <= int(raw) <= MAX_SIZE):
        raise ValidationError({SIZE_PARAM: [f"A whole number from 1 to {MAX_SIZE}."]})
    return int(raw)


def _decode(raw: str | None) -> tuple[str, int | None]:
    if not raw:
        return "a", None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if len(text) < 2 or text[0] not in "ab" or not (text[1:].isascii() and text[1:].isdigit()) or len(text) > 21:
        # a cursor is opaque: one that is a string but not ours is well formed, so it has a code of its own
        raise ValidationError({CURSOR_PARAM: ["Invalid cursor."]}, code="invalid_cursor")
    return text[0], int(text[1:])
