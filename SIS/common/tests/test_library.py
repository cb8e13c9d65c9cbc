"""Plain units of sis_common that need no database: parsing, IDs, log lines, token guards."""
import json
import logging

from sis_common import request_id
from sis_common.db import request_state
from sis_common.jsonlog import JsonFormatter
from sis_common.mariadb.nodes import Node, parse_nodes


def test_nodes_parse_in_order():
    assert parse_nodes("127.0.0.1:3311, db2:3312") == (Node("127.0.0.1", 3311), Node("db2", 3312))
    assert str(Node.parse("h:1")) == "h:1"


def test_request_id_accepts_sane_ids_and_replaces_others():
    assert request_id.accept("abc-123") == "abc-123"
    fresh = request_id.accept("bad id with spaces\n")
    assert fresh != "bad id with spaces\n" and len(fresh) == 32
    assert request_id.accept("x" * 129) != "x" * 129


def test_causal_token_is_validated_not_trusted():
    assert request_state.begin("0-11-42").causal_gtid == "0-11-42"
    assert request_state.begin("0-11-42,1-12-7").causal_gtid == "0-11-42,1-12-7"
    assert request_state.begin("0-1-1'; DROP TABLE x; --").causal_gtid is None
    assert request_state.begin(None).causal_gtid is None
    request_state.end()


def test_json_log_line_carries_service_request_id_and_extras():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "hello %s", ("world",), None)
    record.request_id = "rid-1"
    record.service_extra = 7
    line = json.loads(JsonFormatter(service="ventas").format(record))
    assert line["msg"] == "hello world"
    assert line["service"] == "ventas" and line["request_id"] == "rid-1" and line["service_extra"] == 7


def test_json_bodies_are_bounded_in_depth_and_refused_with_a_parse_error():
    import pytest
    from rest_framework.exceptions import ParseError

    from sis_common.jsonbody import MAX_DEPTH, loads_bounded

    assert loads_bounded(b'{"a": [1, {"b": null}]}') == {"a": [1, {"b": None}]}
    assert loads_bounded(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)  # at the bound: accepted
    assert loads_bounded(("ñandú \\u00e9 " + "😀").encode() .join([b'"', b'"'])) == "ñandú \u00e9 😀"
    for raw in (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), b"[" * 5000, b"[" * 100_000,
                b'{"a":' * 5000, b"{not json", b"", b"   ", b"NaN", b'{"x": Infinity}', b"\xff\xfe",
                b'"\\ud800"', b'{"\\udfff": 1}', b'["ok", "\\uDBFF"]'):
        with pytest.raises(ParseError) as refused:
            loads_bounded(raw)
        assert refused.value.get_codes() == "parse_error"
    assert loads_bounded(b'"\\ud83d\\ude00"') == "😀"  # a surrogate pair is one character
