"""JSON types as the published schemas state them, for every DRF serializer of every project.

DRF's fields are lenient in ways an OpenAPI schema cannot say: a string field
takes 12, an integer field takes "12", true or "1_000", a boolean takes 0,
"yes" or "on". A client built from the schema never sends those, and a
request the schema calls invalid must be refused. Installed (apps.StrictTypesConfig)
once per process:

- in a JSON body, a string field takes only strings (at most max_length of them
  before the spaces around are trimmed), an integer field only numbers (not
  booleans, not strings), a boolean field only true or false;
- in a query string, where every value is text, an integer is ASCII digits
  with an optional minus, a boolean is "true" or "false".
"""
from __future__ import annotations

import re

from django.http import QueryDict
from rest_framework import fields

QUERY_INTEGER = re.compile(r"^-?[0-9]+$")


def _in_query(field) -> bool:
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


def _strict_char(original):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # the schema's maxLength counts what was sent, before DRF trims the spaces around it
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length, length=len(data))
        return original(self, data)
    return to_internal_value


def _strict_integer(original):
    def to_internal_value(self, data):
        if _in_query(self):
            if not (isinstance(data, str) and data.isascii() and QUERY_INTEGER.fullmatch(data)):
                self.fail("invalid")
        elif isinstance(data, (bool, str)) or not isinstance(data, (int, float)):
            self.fail("invalid")
        return original(self, data)
    return to_internal_value


def _strict_boolean(original):
    def to_internal_value(self, data):
        allowed = ("true", "false") if _in_query(self) else (True, False)
        if not any(data is value or (isinstance(data, str) and data == value) for value in allowed):
            self.fail("invalid", input=data)
        return original(self, data)
    return to_internal_value


def install() -> None:
    """Wrap the fields' parsing once (safe to call again)."""
    for cls, wrap in ((fields.CharField, _strict_char), (fields.IntegerField, _strict_integer),
                      (fields.BooleanField, _strict_boolean)):
        method = cls.__dict__["to_internal_value"]
        if not getattr(method, "_ewtto_strict", False):
            strict = wrap(method)
            strict._ewtto_strict = True
            cls.to_internal_value = strict
