"""Inserting one model row on the primary with its statement built once per model, not on every save.

Model.save assembles its INSERT (quoting, placeholders, returning clause) each
time: on a sale, that cost more than the database spent storing the row. Here
the values still go through each field's own `pre_save` and `get_db_prep_save`
(defaults, auto_now_add, decimals, JSON, datetimes in UTC), as the ORM does;
only the statement is cached. No signals are sent: use it for rows nothing
listens to.
"""
from __future__ import annotations

from django.db import connections

from . import request_state
from .router import PRIMARY

_statements: dict[tuple, tuple[str, list]] = {}


def _statement(model: type, raw: tuple[tuple[str, str], ...]) -> tuple[str, list]:
    key = (model, raw)
    if key not in _statements:
        meta = model._meta
        given = {column for column, _ in raw}
        fields = [f for f in meta.concrete_fields if not f.primary_key and not f.generated and f.column not in given]
        quote = connections[PRIMARY].ops.quote_name
        columns = ", ".join(quote(c) for c in [*(f.column for f in fields), *(column for column, _ in raw)])
        values = ", ".join(["%s"] * len(fields) + [expression for _, expression in raw])
        _statements[key] = (f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values}) "
                            f"RETURNING {quote(meta.pk.column)}", fields)
    return _statements[key]


def row_insert(instance, *, raw: dict[str, str] | None = None, request_write: bool = True) -> None:
    """INSERT `instance` on the primary and give it its id; `raw` sets columns to constant SQL expressions.

    With `request_write` it counts as the request's write, as an ORM save routed to the primary does (the
    router then reads on the primary, and the answer carries the causal token); a bookkeeping row such as
    an audit event does not.
    """
    sql, fields = _statement(type(instance), tuple((raw or {}).items()))
    connection = connections[PRIMARY]
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    if request_write:
        request_state.current().wrote = True
    with connection.cursor() as cur:
        cur.execute(sql, values)
        (pk,) = cur.fetchone()
    instance.pk = pk
    instance._state.adding, instance._state.db = False, PRIMARY
