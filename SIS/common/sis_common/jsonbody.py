"""JSON text read safely: a value nested past MAX_DEPTH, or not JSON at all, is a ParseError (400 parse_error).

Python's json module recurses once per level, so a body of a few thousand
`[` would raise RecursionError (a 500) deep in the parser; the depth is
measured without recursion and bounded far below that. Strings that UTF-8
cannot carry (lone surrogates written as \\ud800) are refused here too, so
no column ever sees them.
"""
from __future__ import annotations

import codecs
import json
import re

from rest_framework.exceptions import ParseError

MAX_DEPTH = 64
# a \uD800-\uDFFF escape, the only way JSON text can spell a lone surrogate
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _no_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def refuse(detail: str) -> ParseError:
    return ParseError(f"JSON parse error - {detail}")


def loads_bounded(raw: bytes, *, max_depth: int = MAX_DEPTH):
    """The JSON value of `raw` (UTF-8), or ParseError: malformed, NaN/Infinity, too deep or a lone surrogate."""
    try:
        text = codecs.decode(raw, "utf-8")
        value = json.loads(text, parse_constant=_no_constant) if text.strip() else None
    except RecursionError:
        raise refuse(f"nested deeper than {max_depth} levels.") from None
    except ValueError as exc:
        raise refuse(str(exc)) from None
    if value is None and not raw.strip():
        raise refuse("the body is empty.")
    _check(value, max_depth, surrogates=bool(_SURROGATE_ESCAPE.search(raw)))
    return value


def _check(value, max_depth: int, *, surrogates: bool) -> None:
    """Walk the value with an explicit stack: depth bound, and strings UTF-8 can encode."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = list(item.values()) + (list(item) if surrogates else [])
        elif isinstance(item, list):
            children = item
        else:
            if surrogates and isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise refuse("a string holds a lone surrogate (\\ud800-\\udfff).") from None
            continue
        if depth > max_depth:
            raise refuse(f"nested deeper than {max_depth} levels.")
        stack.extend((child, depth + 1) for child in children)
